package org.parley.desktop.settings;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsStoreTest {

  @TempDir
  Path dir;

  @Test
  void aNewDirectoryHasTheDefaults() throws Exception {
    SettingsStore store = SettingsStore.open(dir.resolve("new"));
    assertThat(store.settings()).isEqualTo(Settings.defaults());
    assertThat(store.problems()).isEmpty();
  }

  @Test
  void settingsNamesAndAcknowledgedChangesSurviveAReopen() throws Exception {
    SettingsStore store = SettingsStore.open(dir);
    store.save(new Settings("Zoë Ünal", Theme.DARK, false, false));
    store.setContactName("+15550100000", "Echo");
    store.setIdentitySeen("+15550100000", 1234L);
    SettingsStore again = SettingsStore.open(dir);
    assertThat(again.settings()).isEqualTo(new Settings("Zoë Ünal", Theme.DARK, false, false));
    assertThat(again.contactName("+15550100000")).contains("Echo");
    assertThat(again.identitySeen("+15550100000")).isEqualTo(1234L);
    assertThat(again.problems()).isEmpty();
    again.setContactName("+15550100000", " ");
    assertThat(SettingsStore.open(dir).contactName("+15550100000")).isEmpty();
    assertThat(Files.list(dir).map(p -> p.getFileName().toString())).containsExactly("desktop.properties");
  }

  @Test
  void damagedValuesFallBackOneByOneAndAreReported() throws Exception {
    Files.writeString(dir.resolve("desktop.properties"), String.join("\n",
        "profile.name=Kim", "theme=purple", "notifications=maybe", "read.receipts=off",
        "identity.seen.+1555=yesterday", "contact.name.+1555=Kim's phone"), StandardCharsets.UTF_8);
    SettingsStore store = SettingsStore.open(dir);
    assertThat(store.settings()).isEqualTo(new Settings("Kim", Theme.SYSTEM, true, false));
    assertThat(store.contactName("+1555")).contains("Kim's phone");
    assertThat(store.problems()).hasSize(3)
        .anyMatch(p -> p.contains("theme 'purple'"))
        .anyMatch(p -> p.contains("notifications 'maybe'"))
        .anyMatch(p -> p.contains("identity.seen.+1555"));
  }

  @Test
  void aDamagedFileIsKeptAsideBeforeItIsRewritten() throws Exception {
    Files.writeString(dir.resolve("desktop.properties"), "profile.name=\\u12G4\n", StandardCharsets.UTF_8);
    SettingsStore store = SettingsStore.open(dir);
    assertThat(store.problems()).singleElement().asString().contains("damaged");
    store.save(store.settings().withProfileName("New"));
    assertThat(Files.readString(dir.resolve("desktop.properties.damaged"))).contains("\\u12G4");
    assertThat(SettingsStore.open(dir).settings().profileName()).isEqualTo("New");
  }

  @Test
  void theSystemThemeFollowsTheEnvironment() {
    assertThat(Theme.SYSTEM.resolve(Map.of("GTK_THEME", "Adwaita:dark"))).isEqualTo(Theme.DARK);
    assertThat(Theme.SYSTEM.resolve(Map.of("PARLEY_THEME", "dark"))).isEqualTo(Theme.DARK);
    assertThat(Theme.SYSTEM.resolve(Map.of())).isEqualTo(Theme.LIGHT);
    assertThat(Theme.LIGHT.resolve(Map.of("GTK_THEME", "Adwaita:dark"))).isEqualTo(Theme.LIGHT);
  }
}
