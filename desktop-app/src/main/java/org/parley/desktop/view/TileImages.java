package org.parley.desktop.view;

import java.io.ByteArrayInputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import javafx.application.Platform;
import javafx.scene.image.Image;
import org.parley.client.api.location.MapTile;
import org.parley.desktop.maps.TileCache;

/**
 * Decoded tiles for the maps on screen: a small in-memory set of JavaFX images over the disk {@link TileCache}
 * (which fetches). One per window; used on the FX thread.
 */
final class TileImages {

  /** About 12 MB of decoded 256-pixel tiles: a few map views' worth. */
  private static final int MEMORY_TILES = 48;

  private final TileCache cache;
  private final Map<String, Image> memory = new LinkedHashMap<>(64, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Image> eldest) {
      return size() > MEMORY_TILES;
    }
  };

  TileImages(TileCache cache) {
    this.cache = cache;
  }

  boolean enabled() {
    return cache.server().enabled();
  }

  /** The image if decoded already. */
  Optional<Image> now(MapTile tile) {
    return Optional.ofNullable(memory.get(key(tile)));
  }

  /** Loads the tile (disk or network, off the FX thread), then calls {@code done} on the FX thread. */
  void load(MapTile tile, Consumer<Image> done, Consumer<String> failed) {
    String key = key(tile);
    cache.tile(tile).whenComplete((bytes, error) -> Platform.runLater(() -> {
      if (error != null) {
        failed.accept(error.getCause() != null ? error.getCause().getMessage() : error.getMessage());
        return;
      }
      Image image = new Image(new ByteArrayInputStream(bytes));
      if (image.isError()) {
        failed.accept("The tile is not a picture JavaFX can read");
        return;
      }
      memory.put(key, image);
      done.accept(image);
    }));
  }

  private String key(MapTile tile) {
    return cache.server() + "|" + tile.zoom() + "/" + tile.x() + "/" + tile.y();
  }
}
