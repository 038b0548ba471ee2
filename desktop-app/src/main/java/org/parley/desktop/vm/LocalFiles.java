package org.parley.desktop.vm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Plaintext files the app has to write outside client-core's encrypted store: decrypted copies handed to another
 * application (Open, the video player) and pictures pasted from the clipboard. They live in one private directory
 * (owner only) that {@link #clear} deletes when the app closes; a copy is made only when the person asks for it.
 */
public final class LocalFiles {

  /** Longest file name kept (most file systems allow 255 bytes). */
  static final int MAX_NAME = 120;

  private final Path root;
  private final AtomicLong counter = new AtomicLong();

  private LocalFiles(Path root) {
    this.root = root;
  }

  /** A fresh private directory under the system's temporary directory. */
  public static LocalFiles create() throws IOException {
    Path dir;
    try {
      dir = Files.createTempDirectory("parley-files-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (UnsupportedOperationException notPosix) {
      dir = Files.createTempDirectory("parley-files-");
    }
    return new LocalFiles(dir);
  }

  public Path root() {
    return root;
  }

  /** A new empty directory of its own, so a file in it keeps its (made safe) name. */
  public Path newDirectory() throws IOException {
    return Files.createDirectory(root.resolve(Long.toString(counter.incrementAndGet())));
  }

  /** Copies {@code in} into a new file called {@code name} (made safe) and returns it. */
  public Path copy(InputStream in, String name) throws IOException {
    Path file = newDirectory().resolve(safeName(name));
    Files.copy(in, file);
    return file;
  }

  /**
   * Writes {@code in} to {@code target} (a "Save as" choice) through a temporary file next to it, so a failed copy
   * never leaves a half-written file under the chosen name.
   */
  public static void saveAs(InputStream in, Path target) throws IOException {
    Path dir = target.toAbsolutePath().getParent();
    Path part = Files.createTempFile(dir, ".parley-", ".part");
    try {
      Files.copy(in, part, StandardCopyOption.REPLACE_EXISTING);
      try {
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(part);
    }
  }

  /** Deletes every file written here. */
  public void clear() {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> all = Files.walk(root)) {
      all.sorted(Comparator.reverseOrder()).forEach(p -> {
        try {
          Files.deleteIfExists(p);
        } catch (IOException ignored) {
          // best effort at exit; the directory is private to this user
        }
      });
    } catch (IOException ignored) {
      // best effort
    }
  }

  /**
   * A sender's file name made safe to create: no directories ("../../.bashrc" becomes ".._.._.bashrc" → "bashrc"),
   * no control characters, not hidden, not empty, at most {@link #MAX_NAME} characters, extension kept.
   */
  public static String safeName(String name) {
    String n = name == null ? "" : name;
    n = n.replaceAll("[\\p{Cntrl}/\\\\:*?\"<>|]", "_").strip();
    n = n.replaceAll("^[._\\s]+", "");
    if (n.isEmpty() || n.toLowerCase(Locale.ROOT).matches("(con|prn|aux|nul|com\\d|lpt\\d)(\\..*)?")) {
      n = "attachment" + (n.isEmpty() ? "" : "-" + n);
    }
    if (n.length() > MAX_NAME) {
      int dot = n.lastIndexOf('.');
      String ext = dot > 0 && n.length() - dot <= 12 ? n.substring(dot) : "";
      n = n.substring(0, MAX_NAME - ext.length()) + ext;
    }
    return n;
  }
}
