package org.parley.server.storage;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;

/**
 * The server's data (database, message queue, attachments, the development SMS file, the TURN secret) is for the
 * server's user alone: directories 0700, files 0600. Java cannot set the umask, so what we create we create with these
 * permissions, and an existing data directory is tightened at start. What other components create inside it (H2's
 * files, queue segments) keeps the umask's bits, but a 0700 directory keeps other users from reaching any of it.
 * On file systems without POSIX permissions
 * (Windows) this does nothing: there the directory's ACLs decide.
 */
public final class PrivateFiles {

  private static final Set<PosixFilePermission> OWNER_ONLY_DIRECTORY = PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
  private static final Set<PosixFilePermission> GROUP_AND_OTHERS = EnumSet.of(
      PosixFilePermission.GROUP_READ, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_EXECUTE,
      PosixFilePermission.OTHERS_READ, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_EXECUTE);

  private PrivateFiles() {}

  /** Creates {@code dir} (and missing parents) readable by the owner only, or takes group and other bits off it. */
  public static Path directory(Path dir) throws IOException {
    if (!posix(dir)) {
      return Files.createDirectories(dir);
    }
    if (!Files.isDirectory(dir)) {
      try {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIRECTORY));
      } catch (FileAlreadyExistsException raced) {
        // made meanwhile: tightened below
      }
    }
    tighten(dir);
    return dir;
  }

  /** Takes group and other permissions off an existing file or directory. */
  public static void tighten(Path path) throws IOException {
    if (!posix(path) || !Files.exists(path)) {
      return;
    }
    Set<PosixFilePermission> now = Files.getPosixFilePermissions(path);
    if (now.stream().anyMatch(GROUP_AND_OTHERS::contains)) {
      Set<PosixFilePermission> owner = EnumSet.copyOf(now);
      owner.removeAll(GROUP_AND_OTHERS);
      Files.setPosixFilePermissions(path, owner);
    }
  }

  /** Creates an empty file readable by the owner only, unless it exists (then it is tightened). */
  public static Path file(Path file) throws IOException {
    if (!posix(file.toAbsolutePath().getParent())) {
      return Files.exists(file) ? file : Files.createFile(file);
    }
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
    } catch (FileAlreadyExistsException exists) {
      tighten(file);
    }
    return file;
  }

  private static boolean posix(Path path) {
    Path existing = path.toAbsolutePath();
    while (existing != null && !Files.exists(existing)) {
      existing = existing.getParent();
    }
    return existing != null && Files.getFileAttributeView(existing, PosixFileAttributeView.class) != null;
  }
}
