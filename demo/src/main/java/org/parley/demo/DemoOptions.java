package org.parley.demo;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.parley.desktop.LaunchOptions;

/**
 * The command line of {@code bin/parley-desktop} when it runs the demo launcher: the demo's and the tools' options,
 * and the app's own ({@link LaunchOptions}) for the rest.
 *
 * @param demo start an embedded server, register a demo number and add the Echo contact
 * @param onboarding with the demo, walk through the registration screens instead of registering automatically
 * @param freshDataDir with the demo and no {@code --data-dir}: the account lives in a new temporary directory,
 *     deleted on exit ({@code app.dataDir()} is then only the default and is not used)
 * @param screenshots drive the UI through its key screens, write PNGs there, and exit
 * @param measureStartup print the time to the chat list and to the newest chat's messages, and the RSS, then exit
 * @param app the desktop app's own options
 */
public record DemoOptions(boolean demo, boolean onboarding, boolean freshDataDir, Optional<Path> screenshots,
    boolean measureStartup, LaunchOptions app) {

  public static final String USAGE = "Usage: parley-desktop [--demo [--onboarding]] [--data-dir DIR] [--server URL]"
      + " [--theme light|dark]\n"
      + "  --demo          start a local server in this process, register a demo number and chat with \"Echo\"\n"
      + "  --onboarding    with --demo: go through the registration screens (the code is filled in)\n"
      + LaunchOptions.OPTIONS
      + "  --screenshots D with --demo: write PNGs of the key screens to D and exit (demo/scripts/screenshots.sh)\n"
      + "  --measure-startup  print start-up time and memory, then exit (demo/scripts/benchmark.sh)\n";

  public static DemoOptions parse(String[] args, Map<String, String> env) throws LaunchOptions.UsageException {
    boolean demo = false;
    boolean onboarding = false;
    Path screenshots = null;
    boolean measure = false;
    List<String> appArgs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--demo" -> demo = true;
        case "--onboarding" -> onboarding = true;
        case "--screenshots" -> {
          if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
            throw new LaunchOptions.UsageException("--screenshots needs a value");
          }
          screenshots = Path.of(args[++i]);
        }
        case "--measure-startup" -> measure = true;
        default -> appArgs.add(args[i]);
      }
    }
    if (onboarding && !demo) {
      throw new LaunchOptions.UsageException(
          "--onboarding only goes with --demo (without --demo the app shows it on first run)");
    }
    if (screenshots != null && !demo) {
      throw new LaunchOptions.UsageException("--screenshots needs --demo");
    }
    LaunchOptions app = LaunchOptions.parse(appArgs.toArray(String[]::new), env);
    boolean fresh = demo && !appArgs.contains("--data-dir");
    return new DemoOptions(demo, onboarding, fresh, Optional.ofNullable(screenshots), measure, app);
  }
}
