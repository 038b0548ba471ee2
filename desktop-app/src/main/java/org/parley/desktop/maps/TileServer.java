package org.parley.desktop.maps;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import org.parley.client.api.location.MapTile;

/**
 * Where map tiles come from: a URL template with {@code {z}}, {@code {x}} and {@code {y}} (OpenStreetMap's standard
 * layer by default), or none at all — then places show their coordinates and name only and nothing is fetched.
 */
public record TileServer(Optional<String> template) {

  public static final TileServer OPENSTREETMAP = new TileServer(Optional.of(MapTile.OPENSTREETMAP_TILES));
  public static final TileServer NONE = new TileServer(Optional.empty());
  static final int MAX_LENGTH = 500;

  public TileServer {
    template.ifPresent(t -> {
      String problem = problem(t);
      if (problem != null) {
        throw new IllegalArgumentException(problem);
      }
    });
  }

  /** "none" (or "off"), or an http(s) URL template; anything else is refused with the reason. */
  public static TileServer parse(String text) {
    String t = text == null ? "" : text.strip();
    if (t.equalsIgnoreCase("none") || t.equalsIgnoreCase("off")) {
      return NONE;
    }
    if (t.isEmpty()) {
      throw new IllegalArgumentException("A tile server is a URL with {z}, {x} and {y} (e.g. "
          + MapTile.OPENSTREETMAP_TILES + "), or none");
    }
    return new TileServer(Optional.of(t));
  }

  public boolean enabled() {
    return template.isPresent();
  }

  /** As the setting and the command line write it. */
  @Override
  public String toString() {
    return template.orElse("none");
  }

  private static String problem(String t) {
    if (t.length() > MAX_LENGTH) {
      return "A tile server URL has at most " + MAX_LENGTH + " characters";
    }
    if (!t.contains("{z}") || !t.contains("{x}") || !t.contains("{y}")) {
      return "A tile server URL needs {z}, {x} and {y} where the tile's zoom and numbers go, e.g. "
          + MapTile.OPENSTREETMAP_TILES + " (or none for no maps)";
    }
    URI uri;
    try {
      uri = URI.create(t.replace("{z}", "0").replace("{x}", "0").replace("{y}", "0"));
    } catch (IllegalArgumentException e) {
      return "Not a URL: " + t;
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
      return "A tile server URL starts with http:// or https:// and names a host: " + t;
    }
    return null;
  }
}
