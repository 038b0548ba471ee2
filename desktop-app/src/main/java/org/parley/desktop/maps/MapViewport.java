package org.parley.desktop.maps;

import java.util.ArrayList;
import java.util.List;
import org.parley.client.api.location.MapTile;
import org.parley.client.api.location.TilePoint;

/**
 * What part of the slippy map a view shows: its centre in world pixels at a zoom, and its size. Panning moves the
 * centre (east-west wraps around the world, north-south stops at Web Mercator's edge); zooming keeps the point under
 * the mouse where it is. Plain arithmetic on client-core's tile scheme, so it is tested without a screen.
 */
public final class MapViewport {

  /** One tile to draw and where its top left corner goes in the view (pixels; may be negative). */
  public record PlacedTile(MapTile tile, double x, double y) {}

  /** A position in degrees. */
  public record LatLon(double latitude, double longitude) {}

  private static final int SIZE = MapTile.SIZE_PIXELS;

  private final int minZoom;
  private final int maxZoom;
  private int zoom;
  private double centerX;
  private double centerY;
  private double width;
  private double height;

  public MapViewport(double latitude, double longitude, int zoom, double width, double height) {
    this(latitude, longitude, zoom, width, height, 1, MapTile.MAX_ZOOM);
  }

  public MapViewport(double latitude, double longitude, int zoom, double width, double height, int minZoom,
      int maxZoom) {
    if (minZoom < 0 || maxZoom > MapTile.MAX_ZOOM || minZoom > maxZoom) {
      throw new IllegalArgumentException("zoom range " + minZoom + "…" + maxZoom);
    }
    this.minZoom = minZoom;
    this.maxZoom = maxZoom;
    this.zoom = Math.max(minZoom, Math.min(maxZoom, zoom));
    resize(width, height);
    centerOn(latitude, longitude);
  }

  public int zoom() {
    return zoom;
  }

  public double width() {
    return width;
  }

  public double height() {
    return height;
  }

  public void resize(double newWidth, double newHeight) {
    this.width = Math.max(1, newWidth);
    this.height = Math.max(1, newHeight);
  }

  public void centerOn(double latitude, double longitude) {
    TilePoint p = TilePoint.of(latitude, longitude, zoom);
    centerX = p.x() * SIZE;
    centerY = p.y() * SIZE;
  }

  /** The point at the view's centre (where the pin is). */
  public LatLon center() {
    return toLatLon(width / 2, height / 2);
  }

  /** The map follows a drag by (dx, dy) pixels: what was under the mouse stays under it. */
  public void panBy(double dx, double dy) {
    centerX -= dx;
    centerY -= dy;
    normalize();
  }

  /**
   * Zooms in ({@code steps} > 0) or out around the view's point (x, y), which keeps showing the same place.
   * Returns false when the zoom is already at its limit.
   */
  public boolean zoomBy(int steps, double x, double y) {
    int target = Math.max(minZoom, Math.min(maxZoom, zoom + steps));
    if (target == zoom) {
      return false;
    }
    double worldX = centerX + (x - width / 2);
    double worldY = centerY + (y - height / 2);
    double scale = Math.pow(2, target - zoom);
    zoom = target;
    centerX = worldX * scale - (x - width / 2);
    centerY = worldY * scale - (y - height / 2);
    normalize();
    return true;
  }

  /** Where a position appears in the view, in pixels from its top left corner (east-west: the nearest copy). */
  public double[] toScreen(double latitude, double longitude) {
    TilePoint p = TilePoint.of(latitude, longitude, zoom);
    double world = worldSize();
    double dx = p.x() * SIZE - centerX;
    // The world repeats east-west: take the copy closest to the centre.
    dx -= Math.rint(dx / world) * world;
    return new double[] {width / 2 + dx, height / 2 + (p.y() * SIZE - centerY)};
  }

  /** The position under the view's pixel (x, y). */
  public LatLon toLatLon(double x, double y) {
    double world = worldSize();
    double wx = ((centerX + x - width / 2) % world + world) % world;
    double wy = Math.max(0, Math.min(world, centerY + y - height / 2));
    TilePoint p = new TilePoint(zoom, Math.min(wx, world) / SIZE, wy / SIZE);
    return new LatLon(p.latitude(), p.longitude());
  }

  /** The tiles that cover the view, each with its position; east-west they repeat, north-south the map ends. */
  public List<PlacedTile> tiles() {
    int n = 1 << zoom;
    double left = centerX - width / 2;
    double top = centerY - height / 2;
    int firstX = (int) Math.floor(left / SIZE);
    int lastX = (int) Math.floor((left + width - 1e-9) / SIZE);
    int firstY = Math.max(0, (int) Math.floor(top / SIZE));
    int lastY = Math.min(n - 1, (int) Math.floor((top + height - 1e-9) / SIZE));
    List<PlacedTile> out = new ArrayList<>();
    for (int ty = firstY; ty <= lastY; ty++) {
      for (int tx = firstX; tx <= lastX; tx++) {
        out.add(new PlacedTile(new MapTile(zoom, Math.floorMod(tx, n), ty), tx * SIZE - left, ty * SIZE - top));
      }
    }
    return out;
  }

  private double worldSize() {
    return (double) SIZE * (1 << zoom);
  }

  private void normalize() {
    double world = worldSize();
    centerX = ((centerX % world) + world) % world;
    centerY = Math.max(0, Math.min(world, centerY));
  }
}
