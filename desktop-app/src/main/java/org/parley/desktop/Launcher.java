package org.parley.desktop;

/**
 * The main class. It does not extend {@code Application}: with JavaFX on the class path (not the module path), a
 * main class that extends it makes the Java launcher refuse to start ("JavaFX runtime components are missing").
 */
public final class Launcher {

  private Launcher() {}

  public static void main(String[] args) {
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "logback-desktop.xml");
    }
    if (java.util.Arrays.asList(args).contains("--help") || java.util.Arrays.asList(args).contains("-h")) {
      System.out.print(LaunchOptions.USAGE);
      return;
    }
    java.util.Optional<String> nativeProblem = SignalNativeLibrary.problem();
    if (nativeProblem.isPresent()) {
      System.err.println("parley-desktop: " + nativeProblem.get());
      System.exit(1);
      return;
    }
    LaunchOptions options;
    try {
      options = LaunchOptions.parse(args, System.getenv());
    } catch (LaunchOptions.UsageException e) {
      System.err.println("parley-desktop: " + e.getMessage());
      System.err.print(LaunchOptions.USAGE);
      System.exit(2);
      return;
    }
    try {
      DesktopApp.launchWith(options);
    } catch (java.io.IOException e) {
      System.err.println("parley-desktop: cannot use the data directory: " + e.getMessage());
      System.exit(1);
    }
  }
}
