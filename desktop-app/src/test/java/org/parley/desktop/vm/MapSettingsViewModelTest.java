package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.desktop.maps.TileCache;
import org.parley.desktop.maps.TileServer;
import org.parley.desktop.settings.SettingsStore;

/** Settings → Maps: a bad URL is refused and nothing saved; "none" turns maps off now and after a restart. */
class MapSettingsViewModelTest {

  @TempDir
  Path dir;

  @Test
  void savesChecksAndAppliesTheTileServer() throws Exception {
    SettingsStore store = SettingsStore.open(dir);
    try (TileCache cache = TileCache.open(dir.resolve("map-tiles"), TileServer.OPENSTREETMAP, 1_000_000)) {
      MapSettingsViewModel vm = new MapSettingsViewModel(store, cache, false);
      assertThat(vm.server.get()).isEqualTo("https://tile.openstreetmap.org/{z}/{x}/{y}.png");
      assertThat(vm.note.get()).contains("© OpenStreetMap contributors").contains("50 MB");

      vm.save("https://tiles.example.org/tile.png");
      assertThat(vm.error.get()).contains("needs {z}, {x} and {y}");
      assertThat(store.mapTiles()).isEmpty();
      assertThat(cache.server()).isEqualTo(TileServer.OPENSTREETMAP);

      vm.save("none");
      assertThat(vm.error.get()).isEmpty();
      assertThat(cache.server().enabled()).isFalse();
      assertThat(vm.note.get()).startsWith("Maps are off");
      assertThat(Files.readString(dir.resolve("desktop.properties"))).contains("map.tiles=none");
      assertThat(SettingsStore.open(dir).mapTiles()).contains("none");

      vm.save("  ");
      assertThat(cache.server()).isEqualTo(TileServer.OPENSTREETMAP);
      assertThat(SettingsStore.open(dir).mapTiles()).isEmpty();
    }
  }

  @Test
  void theCommandLineWinsForItsRun() throws Exception {
    SettingsStore store = SettingsStore.open(dir);
    try (TileCache cache = TileCache.open(dir.resolve("map-tiles"), TileServer.NONE, 1_000_000)) {
      MapSettingsViewModel vm = new MapSettingsViewModel(store, cache, true);
      vm.save("https://tiles.example.org/{z}/{x}/{y}.png");
      assertThat(store.mapTiles()).contains("https://tiles.example.org/{z}/{x}/{y}.png");
      assertThat(cache.server()).isEqualTo(TileServer.NONE);
      assertThat(vm.note.get()).contains("This run uses --map-tiles none instead");
    }
  }
}
