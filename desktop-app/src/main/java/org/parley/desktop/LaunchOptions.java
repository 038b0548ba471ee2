package org.parley.desktop;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.parley.desktop.settings.Theme;

/**
 * The command line of {@code bin/parley-desktop}.
 *
 * @param demo start an embedded server, register a demo number and add the Echo contact
 * @param onboarding in demo mode, walk through the registration screens instead of registering automatically
 * @param dataDir where the account lives (empty: the default, or a fresh temporary directory in demo mode)
 * @param server the server to register with (ignored in demo mode)
 * @param theme overrides the saved theme for this run
 * @param screenshots drive the UI through its key screens, write PNGs there, and exit
 * @param measureStartup print the time to the chat list and to the newest chat's messages, and the RSS, then exit
 *     (for the benchmark)
 */
public record LaunchOptions(boolean demo, boolean onboarding, Optional<Path> dataDir, URI server,
    Optional<Theme> theme, Optional<Path> screenshots, boolean measureStartup) {

  public static final URI DEFAULT_SERVER = URI.create("http://127.0.0.1:8080");

  public static final String USAGE = """
      Usage: parley-desktop [--demo [--onboarding]] [--data-dir DIR] [--server URL] [--theme light|dark]
        --demo          start a local server in this process, register a demo number and chat with "Echo"
        --onboarding    with --demo: go through the registration screens (the code is filled in)
        --data-dir DIR  where this account's encrypted database lives
                        (default: $PARLEY_DESKTOP_DIR or ~/.local/share/parley-desktop)
        --server URL    the Parley server to register with (default http://127.0.0.1:8080)
        --theme T       light or dark for this run
        --screenshots D with --demo: write PNGs of the key screens to D and exit
        --measure-startup  print start-up time and memory, then exit (desktop-app/scripts/benchmark.sh)
      """;

  /** Thrown for a command line that cannot be run; the message says why. */
  public static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
      super(message);
    }
  }

  public static LaunchOptions parse(String[] args, Map<String, String> env) throws UsageException {
    boolean demo = false;
    boolean onboarding = false;
    Path dataDir = null;
    URI server = DEFAULT_SERVER;
    Theme theme = null;
    Path screenshots = null;
    boolean measure = false;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--demo" -> demo = true;
        case "--onboarding" -> onboarding = true;
        case "--data-dir" -> dataDir = Path.of(value(args, ++i, a));
        case "--server" -> server = serverUri(value(args, ++i, a));
        case "--theme" -> {
          String t = value(args, ++i, a).toLowerCase(Locale.ROOT);
          if (!t.equals("light") && !t.equals("dark")) {
            throw new UsageException("--theme is light or dark, not '" + t + "'");
          }
          theme = Theme.valueOf(t.toUpperCase(Locale.ROOT));
        }
        case "--screenshots" -> screenshots = Path.of(value(args, ++i, a));
        case "--measure-startup" -> measure = true;
        default -> throw new UsageException("Unknown option '" + a + "'");
      }
    }
    if (onboarding && !demo) {
      throw new UsageException("--onboarding only goes with --demo (without --demo the app shows it on first run)");
    }
    if (screenshots != null && !demo) {
      throw new UsageException("--screenshots needs --demo");
    }
    if (dataDir == null && !demo) {
      String fromEnv = env.get("PARLEY_DESKTOP_DIR");
      dataDir = fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv)
          : Path.of(env.getOrDefault("HOME", "."), ".local", "share", "parley-desktop");
    }
    return new LaunchOptions(demo, onboarding, Optional.ofNullable(dataDir), server, Optional.ofNullable(theme),
        Optional.ofNullable(screenshots), measure);
  }

  private static String value(String[] args, int i, String option) throws UsageException {
    if (i >= args.length || args[i].startsWith("--")) {
      throw new UsageException(option + " needs a value");
    }
    return args[i];
  }

  private static URI serverUri(String text) throws UsageException {
    try {
      URI uri = URI.create(text);
      if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        throw new UsageException("--server must be an http:// or https:// address, not '" + text + "'");
      }
      return uri;
    } catch (IllegalArgumentException e) {
      throw new UsageException("--server must be an http:// or https:// address, not '" + text + "'");
    }
  }
}
