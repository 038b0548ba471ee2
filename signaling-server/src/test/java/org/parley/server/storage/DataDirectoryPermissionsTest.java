package org.parley.server.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.server.support.TestServer;

/**
 * Issue #17 (Low): the data directory held the database, queue segments and the development SMS file readable by
 * every local user (the SMS file's codes register anyone's number). Now: directory 0700, secrets 0600.
 */
class DataDirectoryPermissionsTest {

  private static String permissions(Path path) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
  }

  @Test
  void aServerKeepsItsDataToItsOwner(@TempDir Path parent) throws Exception {
    Path dataDir = Files.createDirectory(parent.resolve("data"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    try (TestServer server = TestServer.builder().turn(true).dataDir(dataDir).start()) {
      server.api.register("+15557771234"); // writes the code to dev-sms.txt
      assertThat(permissions(dataDir)).isEqualTo("rwx------");
      assertThat(permissions(dataDir.resolve("dev-sms.txt"))).isEqualTo("rw-------");
      assertThat(permissions(dataDir.resolve("turn-secret"))).isEqualTo("rw-------");
    }
  }

  @Test
  void anExistingSmsFileIsTightenedAndAFreshDirectoryIsPrivate(@TempDir Path parent) throws Exception {
    Path file = Files.createFile(parent.resolve("dev-sms.txt"),
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-r--r--")));
    PrivateFiles.file(file);
    assertThat(permissions(file)).isEqualTo("rw-------");
    Path nested = PrivateFiles.directory(parent.resolve("a/b"));
    assertThat(permissions(nested)).isEqualTo("rwx------");
  }
}
