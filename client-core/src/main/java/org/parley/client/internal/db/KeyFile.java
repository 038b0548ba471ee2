package org.parley.client.internal.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Set;

/**
 * The random key that encrypts the local database, in a file only the owner may read (see
 * docs/decisions/0201-local-db-encryption.md). Created on first use; refused if other users can read it.
 */
public final class KeyFile {

  private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  private KeyFile() {}

  /** The hex key in {@code file}, creating the file with 256 random bits if it does not exist. */
  public static String loadOrCreate(Path file) throws IOException {
    if (!Files.exists(file)) {
      byte[] key = new byte[32];
      new SecureRandom().nextBytes(key);
      String hex = HexFormat.of().formatHex(key);
      try {
        if (supportsPosix(file)) {
          Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
        } else {
          Files.createFile(file);
        }
        Files.writeString(file, hex + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.SYNC);
        return hex;
      } catch (FileAlreadyExistsException raced) {
        // another process created it first; read theirs
      }
    }
    if (supportsPosix(file)) {
      Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
      if (permissions.contains(PosixFilePermission.GROUP_READ)
          || permissions.contains(PosixFilePermission.OTHERS_READ)) {
        throw new IOException("The database key " + file + " is readable by other users ("
            + PosixFilePermissions.toString(permissions) + "); run: chmod 600 " + file);
      }
    }
    String hex = Files.readString(file, StandardCharsets.US_ASCII).trim();
    if (!hex.matches("[0-9a-f]{64}")) {
      throw new IOException("The database key " + file + " is damaged (expected 64 hex digits)");
    }
    return hex;
  }

  private static boolean supportsPosix(Path file) {
    Path dir = file.toAbsolutePath().getParent();
    return dir.getFileSystem().supportedFileAttributeViews().contains("posix");
  }
}
