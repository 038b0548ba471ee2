package org.parley.desktop;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.parley.desktop.maps.TileServer;
import org.parley.desktop.settings.Theme;

/**
 * The command line of the desktop app.
 *
 * @param dataDir where the account lives
 * @param server the server a new account registers with
 * @param theme overrides the saved theme for this run
 * @param opened a {@code parley:} URI the app was opened with (the desktop's URL handler passes it)
 * @param mapTiles overrides the saved map tile server for this run
 */
public record LaunchOptions(Path dataDir, URI server, Optional<Theme> theme, Optional<URI> opened,
    Optional<TileServer> mapTiles) {

  public LaunchOptions(Path dataDir, URI server, Optional<Theme> theme) {
    this(dataDir, server, theme, Optional.empty(), Optional.empty());
  }

  public static final URI DEFAULT_SERVER = URI.create("http://127.0.0.1:8080");

  /** The options of the app itself; a launcher that embeds it (the demo) prints its own above them. */
  public static final String OPTIONS = """
        --data-dir DIR  where this account's encrypted database lives
                        (default: $PARLEY_DESKTOP_DIR, else $XDG_DATA_HOME/parley-desktop or
                        ~/.local/share/parley-desktop on Linux, ~/Library/Application Support/Parley
                        on macOS, %APPDATA%\\Parley on Windows)
        --server URL    the Parley server to register with (default http://127.0.0.1:8080)
        --theme T       light or dark for this run
        --map-tiles URL map tiles for shared places, {z}/{x}/{y} in the URL, or none
                        (default: the setting, else tile.openstreetmap.org)
      """;

  public static final String USAGE = "Usage: parley-desktop [--data-dir DIR] [--server URL] [--theme light|dark]"
      + " [--map-tiles URL|none] [parley:URI]\n"
      + OPTIONS;

  /** Thrown for a command line that cannot be run; the message says why. */
  public static final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
      super(message);
    }
  }

  public static LaunchOptions parse(String[] args, Map<String, String> env) throws UsageException {
    Path dataDir = null;
    URI server = DEFAULT_SERVER;
    Theme theme = null;
    TileServer tiles = null;
    URI opened = null;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.regionMatches(true, 0, "parley:", 0, 7)) {
        opened = parleyUri(a);
        continue;
      }
      switch (a) {
        case "--data-dir" -> dataDir = Path.of(value(args, ++i, a));
        case "--server" -> server = serverUri(value(args, ++i, a));
        case "--theme" -> {
          String t = value(args, ++i, a).toLowerCase(Locale.ROOT);
          if (!t.equals("light") && !t.equals("dark")) {
            throw new UsageException("--theme is light or dark, not '" + t + "'");
          }
          theme = Theme.valueOf(t.toUpperCase(Locale.ROOT));
        }
        case "--map-tiles" -> {
          try {
            tiles = TileServer.parse(value(args, ++i, a));
          } catch (IllegalArgumentException e) {
            throw new UsageException("--map-tiles: " + e.getMessage());
          }
        }
        // The demo and the screenshot/start-up tools live in the demo module, not in the installed app.
        case "--demo", "--onboarding", "--screenshots", "--measure-startup" -> throw new UsageException(
            a + " belongs to the demo launcher, which is not part of the installed app: run bin/parley-desktop "
                + a + " from a source checkout");
        default -> throw new UsageException("Unknown option '" + a + "'");
      }
    }
    if (dataDir == null) {
      String fromEnv = env.get("PARLEY_DESKTOP_DIR");
      dataDir = fromEnv != null && !fromEnv.isBlank() ? Path.of(fromEnv)
          : DataDirectory.of(System.getProperty("os.name"), env);
    }
    return new LaunchOptions(dataDir, server, Optional.ofNullable(theme), Optional.ofNullable(opened),
        Optional.ofNullable(tiles));
  }

  private static URI parleyUri(String text) throws UsageException {
    try {
      URI uri = new URI(text);
      if (!"parley".equalsIgnoreCase(uri.getScheme())) {
        throw new UsageException("not a parley: link: '" + text + "'");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new UsageException("not a parley: link: '" + text + "' (" + e.getReason() + ")");
    }
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
