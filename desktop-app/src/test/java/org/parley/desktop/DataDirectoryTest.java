package org.parley.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Where each system keeps the account when no --data-dir or PARLEY_DESKTOP_DIR says otherwise. */
class DataDirectoryTest {

  @Test
  void linuxFollowsTheXdgBaseDirectories() {
    assertThat(DataDirectory.of("Linux", Map.of("HOME", "/home/pat")))
        .isEqualTo(Path.of("/home/pat/.local/share/parley-desktop"));
    assertThat(DataDirectory.of("Linux", Map.of("HOME", "/home/pat", "XDG_DATA_HOME", "/data/pat")))
        .isEqualTo(Path.of("/data/pat/parley-desktop"));
    // The specification says a relative path there is invalid and to be ignored.
    assertThat(DataDirectory.of("Linux", Map.of("HOME", "/home/pat", "XDG_DATA_HOME", "data")))
        .isEqualTo(Path.of("/home/pat/.local/share/parley-desktop"));
    assertThat(DataDirectory.of("FreeBSD", Map.of("HOME", "/home/pat")))
        .isEqualTo(Path.of("/home/pat/.local/share/parley-desktop"));
  }

  @Test
  void macOsUsesApplicationSupport() {
    assertThat(DataDirectory.of("Mac OS X", Map.of("HOME", "/Users/pat")))
        .isEqualTo(Path.of("/Users/pat/Library/Application Support/Parley"));
  }

  @Test
  void windowsUsesTheRoamingAppData() {
    // Path.of on this (Unix) machine keeps the backslashes as part of a name; compare the text.
    assertThat(DataDirectory.of("Windows 11", Map.of("APPDATA", "C:\\Users\\pat\\AppData\\Roaming")).toString())
        .isEqualTo("C:\\Users\\pat\\AppData\\Roaming/Parley");
    assertThat(DataDirectory.of("Windows 10", Map.of("USERPROFILE", "C:\\Users\\pat")).toString())
        .isEqualTo("C:\\Users\\pat\\AppData\\Roaming/Parley");
  }
}
