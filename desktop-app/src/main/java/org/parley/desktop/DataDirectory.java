package org.parley.desktop;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/**
 * Where the app keeps an account (its encrypted database, keys, settings) when not told: the place each system's
 * guidelines name for an application's own data, which survives the app being upgraded or uninstalled.
 */
public final class DataDirectory {

  private DataDirectory() {}

  /**
   * @param osName the {@code os.name} system property
   * @param env the environment ({@code HOME}, {@code XDG_DATA_HOME}, {@code APPDATA})
   */
  public static Path of(String osName, Map<String, String> env) {
    String os = osName == null ? "" : osName.toLowerCase(Locale.ROOT);
    String home = env.getOrDefault("HOME", System.getProperty("user.home", "."));
    if (os.startsWith("windows")) {
      String appData = env.get("APPDATA");
      String base = appData != null && !appData.isBlank() ? appData
          : env.getOrDefault("USERPROFILE", home) + "\\AppData\\Roaming";
      return Path.of(base, "Parley");
    }
    if (os.startsWith("mac")) {
      return Path.of(home, "Library", "Application Support", "Parley");
    }
    // Linux and other Unix: the XDG base directory specification; a relative XDG_DATA_HOME is to be ignored.
    String xdg = env.get("XDG_DATA_HOME");
    if (xdg != null && xdg.startsWith("/")) {
      return Path.of(xdg, "parley-desktop");
    }
    return Path.of(home, ".local", "share", "parley-desktop");
  }
}
