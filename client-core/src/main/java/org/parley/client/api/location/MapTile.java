package org.parley.client.api.location;

import java.net.URI;

/**
 * One square of a slippy map (the OpenStreetMap tile scheme: Web Mercator, 2^zoom × 2^zoom tiles of 256 pixels, x
 * growing east from 180° W, y growing south from 85.0511° N).
 */
public record MapTile(int zoom, int x, int y) {

  /** The deepest zoom of openstreetmap.org's standard tiles. */
  public static final int MAX_ZOOM = 19;
  public static final int SIZE_PIXELS = 256;
  /** The standard tile layer; a front end lets the user configure another ({@link #url}). */
  public static final String OPENSTREETMAP_TILES = "https://tile.openstreetmap.org/{z}/{x}/{y}.png";

  public MapTile {
    checkZoom(zoom);
    int n = 1 << zoom;
    if (x < 0 || x >= n || y < 0 || y >= n) {
      throw new IllegalArgumentException("tile " + x + "/" + y + " does not exist at zoom " + zoom + " (0 to "
          + (n - 1) + ")");
    }
  }

  /** The tile holding a point. */
  public static MapTile containing(double latitude, double longitude, int zoom) {
    return TilePoint.of(latitude, longitude, zoom).tile();
  }

  /** The tile's north-west corner (its top left pixel). */
  public TilePoint northWest() {
    return new TilePoint(zoom, x, y);
  }

  /**
   * The tile's address on a tile server.
   *
   * @param template with {@code {z}}, {@code {x}} and {@code {y}}, like {@link #OPENSTREETMAP_TILES}
   */
  public URI url(String template) {
    if (!template.contains("{z}") || !template.contains("{x}") || !template.contains("{y}")) {
      throw new IllegalArgumentException("a tile URL template needs {z}, {x} and {y}: " + template);
    }
    return URI.create(template.replace("{z}", Integer.toString(zoom)).replace("{x}", Integer.toString(x))
        .replace("{y}", Integer.toString(y)));
  }

  static void checkZoom(int zoom) {
    if (zoom < 0 || zoom > MAX_ZOOM) {
      throw new IllegalArgumentException("zoom must be 0 to " + MAX_ZOOM + ", not " + zoom);
    }
  }
}
