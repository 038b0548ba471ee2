package org.parley.desktop.settings;

import java.util.Locale;
import java.util.Map;

/** Light or dark; SYSTEM until the person chooses, resolved from the desktop's setting. */
public enum Theme {
  SYSTEM, LIGHT, DARK;

  /**
   * The theme to show. JavaFX 21 cannot ask the platform, so SYSTEM reads what GTK and other toolkits export:
   * {@code GTK_THEME} (e.g. {@code Adwaita:dark}) or {@code PARLEY_THEME}.
   */
  public Theme resolve(Map<String, String> env) {
    if (this != SYSTEM) {
      return this;
    }
    String wanted = env.getOrDefault("PARLEY_THEME", "");
    if (wanted.equalsIgnoreCase("dark")) {
      return DARK;
    }
    if (wanted.equalsIgnoreCase("light")) {
      return LIGHT;
    }
    String gtk = env.getOrDefault("GTK_THEME", "").toLowerCase(Locale.ROOT);
    return gtk.contains("dark") ? DARK : LIGHT;
  }
}
