package org.parley.desktop.settings;

import java.util.Objects;

/**
 * What the person chose in Settings (desktop-only preferences; read receipts are also handed to client-core).
 *
 * @param profileName the name shown for this account (kept locally: client-core has no profiles yet)
 */
public record Settings(String profileName, Theme theme, boolean notifications, boolean readReceipts) {

  public static final int MAX_PROFILE_NAME = 64;

  public Settings {
    Objects.requireNonNull(profileName, "profileName");
    Objects.requireNonNull(theme, "theme");
  }

  public static Settings defaults() {
    return new Settings("", Theme.SYSTEM, true, true);
  }

  public Settings withProfileName(String name) {
    return new Settings(name, theme, notifications, readReceipts);
  }

  public Settings withTheme(Theme t) {
    return new Settings(profileName, t, notifications, readReceipts);
  }

  public Settings withNotifications(boolean on) {
    return new Settings(profileName, theme, on, readReceipts);
  }

  public Settings withReadReceipts(boolean on) {
    return new Settings(profileName, theme, notifications, on);
  }
}
