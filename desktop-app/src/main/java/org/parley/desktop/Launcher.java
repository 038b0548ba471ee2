package org.parley.desktop;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * The main class. It does not extend {@code Application}: with JavaFX on the class path (not the module path), a
 * main class that extends it makes the Java launcher refuse to start ("JavaFX runtime components are missing").
 */
public final class Launcher {

  private Launcher() {}

  public static void main(String[] args) {
    useDesktopLogging();
    List<String> arguments = Arrays.asList(args);
    if (arguments.contains("--help") || arguments.contains("-h")) {
      System.out.print(LaunchOptions.USAGE);
      return;
    }
    exitIfLibsignalCannotLoad();
    LaunchOptions options;
    try {
      options = LaunchOptions.parse(args, System.getenv());
    } catch (LaunchOptions.UsageException e) {
      System.err.println("parley-desktop: " + e.getMessage());
      System.err.print(LaunchOptions.USAGE);
      System.exit(2);
      return;
    }
    // The desktop's URL handler starts the app with the parley: link that was clicked; the app opens as usual.
    options.opened().ifPresent(uri -> LoggerFactory.getLogger(Launcher.class).info("Opened with {}", uri.getScheme()
        + ":" + (uri.getHost() != null ? "//" + uri.getHost() : "…")));
    exit(DesktopApp.run(options, AccountSetup.onboarding(options.server()), DesktopApp.WindowTool.NONE));
  }

  /**
   * Ends the process with {@code status} once the app has run. Standard output is closed first: at JVM exit a
   * libwebrtc thread prints "VM attach current thread failed" there, which a person who pressed Ctrl+C would read
   * as an error.
   */
  public static void exit(int status) {
    System.out.flush();
    System.out.close();
    System.exit(status);
  }

  /** The desktop's logging configuration, unless one was given with {@code -Dlogback.configurationFile}. */
  public static void useDesktopLogging() {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "logback-desktop.xml");
    }
  }

  /** Ends the process with a clear message when libsignal's native library cannot be found (see SignalNativeLibrary). */
  public static void exitIfLibsignalCannotLoad() {
    Optional<String> nativeProblem = SignalNativeLibrary.problem();
    if (nativeProblem.isPresent()) {
      System.err.println("parley-desktop: " + nativeProblem.get());
      System.exit(1);
    }
  }
}
