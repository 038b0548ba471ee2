package org.parley.desktop.vm;

import java.io.IOException;
import java.util.Optional;
import org.parley.desktop.maps.TileCache;
import org.parley.desktop.maps.TileServer;
import org.parley.desktop.settings.SettingsStore;

/**
 * Settings → Maps: the tile server for places (a URL template, or "none" so nothing is ever fetched), saved in
 * {@code desktop.properties} and used from the next tile on. {@code --map-tiles} wins for the run it is given to.
 */
public final class MapSettingsViewModel {

  public final Value<String> server;
  public final Value<String> error = new Value<>("");
  public final Value<String> note = new Value<>("");

  private final SettingsStore store;
  private final TileCache cache;
  private final boolean fromCommandLine;

  public MapSettingsViewModel(SettingsStore store, TileCache cache, boolean fromCommandLine) {
    this.store = store;
    this.cache = cache;
    this.fromCommandLine = fromCommandLine;
    this.server = new Value<>(cache.server().toString());
    note.set(noteFor(cache.server()));
  }

  /** Saves what the person typed; blank means OpenStreetMap's tiles again. A bad URL is refused, nothing saved. */
  public void save(String text) {
    TileServer next;
    try {
      next = text == null || text.isBlank() ? TileServer.OPENSTREETMAP : TileServer.parse(text);
    } catch (IllegalArgumentException e) {
      error.set(e.getMessage());
      return;
    }
    try {
      store.setMapTiles(next.equals(TileServer.OPENSTREETMAP) ? Optional.empty() : Optional.of(next.toString()));
    } catch (IOException e) {
      error.set("Cannot save the setting: " + e.getMessage());
      return;
    }
    error.set("");
    server.set(next.toString());
    if (!fromCommandLine) {
      cache.setServer(next);
    }
    note.set(noteFor(next));
  }

  private String noteFor(TileServer s) {
    String base = s.enabled()
        ? "Places show a map: tiles © OpenStreetMap contributors, kept on this computer (up to "
            + TileCache.DEFAULT_MAX_BYTES / (1024 * 1024) + " MB). \"none\" turns maps off."
        : "Maps are off: places show their coordinates and name, and no tile is fetched.";
    return fromCommandLine ? base + " This run uses --map-tiles " + cache.server() + " instead." : base;
  }
}
