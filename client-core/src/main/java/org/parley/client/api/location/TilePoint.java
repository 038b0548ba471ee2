package org.parley.client.api.location;

/**
 * A point on a slippy map in tile units at one zoom: the integer parts name the tile, the fractions say where in it
 * (multiply by {@link MapTile#SIZE_PIXELS} for pixels). Latitudes beyond ±85.0511° (where Web Mercator stops) are
 * drawn at the map's edge.
 */
public record TilePoint(int zoom, double x, double y) {

  /** The latitude where Web Mercator's square world ends: atan(sinh(π)). */
  public static final double MAX_LATITUDE = Math.toDegrees(Math.atan(Math.sinh(Math.PI)));

  public TilePoint {
    MapTile.checkZoom(zoom);
    double n = 1 << zoom;
    if (!(x >= 0 && x <= n && y >= 0 && y <= n)) {
      throw new IllegalArgumentException("tile coordinates " + x + "," + y + " are off the map at zoom " + zoom);
    }
  }

  /** Where a latitude and longitude (degrees) fall, by the formula of the OpenStreetMap wiki. */
  public static TilePoint of(double latitude, double longitude, int zoom) {
    if (!(latitude >= -90 && latitude <= 90 && longitude >= -180 && longitude <= 180)) {
      throw new IllegalArgumentException("not a position: " + latitude + "," + longitude);
    }
    MapTile.checkZoom(zoom);
    double n = 1 << zoom;
    double lat = Math.toRadians(Math.max(-MAX_LATITUDE, Math.min(MAX_LATITUDE, latitude)));
    double x = (longitude + 180) / 360 * n;
    double y = (1 - Math.log(Math.tan(lat) + 1 / Math.cos(lat)) / Math.PI) / 2 * n;
    return new TilePoint(zoom, x, Math.max(0, Math.min(n, y)));
  }

  public double latitude() {
    double n = 1 << zoom;
    return Math.toDegrees(Math.atan(Math.sinh(Math.PI * (1 - 2 * y / n))));
  }

  public double longitude() {
    return x / (1 << zoom) * 360 - 180;
  }

  /** The tile this point lies on (a point on the east or south edge of the map belongs to the last tile). */
  public MapTile tile() {
    int last = (1 << zoom) - 1;
    return new MapTile(zoom, Math.min(last, (int) Math.floor(x)), Math.min(last, (int) Math.floor(y)));
  }
}
