package org.parley.desktop;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Where libsignal will find its native library. Its loader looks for the library inside its jar first (and copies it
 * to a temporary file), then on {@code java.library.path}. The app's own jar of libsignal has the libraries taken out
 * (desktop-app/pom.xml) and bin/parley-desktop passes the unpacked one on {@code java.library.path}; started any other
 * way, the app would fail deep inside the first libsignal call, so the launcher checks first and says what to do.
 */
final class SignalNativeLibrary {

  private static final List<String> NAMES = List.of("signal_jni_testing", "signal_jni");

  private SignalNativeLibrary() {}

  /** Why libsignal could not load its library, or empty when it can. */
  static Optional<String> problem() {
    return problem(name -> SignalNativeLibrary.class.getResource("/" + name) != null,
        System.getProperty("java.library.path", ""), System.getProperty("os.arch", ""));
  }

  static Optional<String> problem(Predicate<String> inJar, String libraryPath, String osArch) {
    String arch = osArch.equals("x86_64") ? "amd64" : osArch;
    for (String name : NAMES) {
      if (inJar.test(System.mapLibraryName(name + "_" + arch)) || inJar.test(System.mapLibraryName(name))) {
        return Optional.empty();
      }
    }
    String file = System.mapLibraryName("signal_jni");
    for (String dir : libraryPath.split(File.pathSeparator)) {
      try {
        if (!dir.isEmpty() && Files.isRegularFile(Path.of(dir, file))) {
          return Optional.empty();
        }
      } catch (InvalidPathException ignored) {
        // not a directory we can look in
      }
    }
    return Optional.of("libsignal's native library " + file + " is neither in its jar nor on java.library.path ("
        + (libraryPath.isEmpty() ? "empty" : libraryPath) + "). Start the app with bin/parley-desktop, or pass "
        + "-Djava.library.path=desktop-app/target/native/<os>-<arch> (made by the build).");
  }
}
