package org.parley.desktop.maps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.client.api.location.MapTile;

/** The map's arithmetic: positions to pixels and back, the tiles a view needs, panning and zooming. */
class MapViewportTest {

  @Test
  void theWholeWorldAtZoomOneIsFourTilesAroundTheCentre() {
    MapViewport v = new MapViewport(0, 0, 1, 512, 512);
    List<MapViewport.PlacedTile> tiles = v.tiles();
    assertThat(tiles).containsExactlyInAnyOrder(
        new MapViewport.PlacedTile(new MapTile(1, 0, 0), 0, 0),
        new MapViewport.PlacedTile(new MapTile(1, 1, 0), 256, 0),
        new MapViewport.PlacedTile(new MapTile(1, 0, 1), 0, 256),
        new MapViewport.PlacedTile(new MapTile(1, 1, 1), 256, 256));
    assertThat(v.toScreen(0, 0)).containsExactly(256, 256);
    // The corners of the Web Mercator square.
    assertThat(v.toLatLon(0, 0).latitude()).isCloseTo(85.0511, within(1e-4));
    assertThat(v.toLatLon(0, 0).longitude()).isCloseTo(-180, within(1e-9));
  }

  @Test
  void thePinsTileAndPixelAreWhereTheTileSchemeSays() {
    MapViewport v = new MapViewport(48.85837, 2.29448, 15, 260, 150);
    MapTile eiffel = MapTile.containing(48.85837, 2.29448, 15);
    assertThat(eiffel).isEqualTo(new MapTile(15, 16592, 11272));
    assertThat(v.toScreen(48.85837, 2.29448)[0]).isCloseTo(130, within(1e-6));
    assertThat(v.toScreen(48.85837, 2.29448)[1]).isCloseTo(75, within(1e-6));
    MapViewport.PlacedTile placed = v.tiles().stream().filter(t -> t.tile().equals(eiffel)).findFirst()
        .orElseThrow();
    // The pin's pixel lies inside its tile, and the tiles cover the whole view.
    assertThat(130 - placed.x()).isBetween(0.0, 256.0);
    assertThat(75 - placed.y()).isBetween(0.0, 256.0);
    double minX = v.tiles().stream().mapToDouble(MapViewport.PlacedTile::x).min().orElseThrow();
    double maxX = v.tiles().stream().mapToDouble(MapViewport.PlacedTile::x).max().orElseThrow();
    assertThat(minX).isLessThanOrEqualTo(0);
    assertThat(maxX + 256).isGreaterThanOrEqualTo(260);
    assertThat(v.center().latitude()).isCloseTo(48.85837, within(1e-9));
    assertThat(v.center().longitude()).isCloseTo(2.29448, within(1e-9));
  }

  @Test
  void pixelsAndPositionsRoundTrip() {
    MapViewport v = new MapViewport(-33.85678, 151.2153, 12, 500, 300);
    for (double[] p : new double[][] {{0, 0}, {499, 299}, {123.5, 77.25}}) {
      MapViewport.LatLon at = v.toLatLon(p[0], p[1]);
      double[] back = v.toScreen(at.latitude(), at.longitude());
      assertThat(back[0]).isCloseTo(p[0], within(1e-6));
      assertThat(back[1]).isCloseTo(p[1], within(1e-6));
    }
  }

  @Test
  void draggingMovesTheMapWithTheMouse() {
    MapViewport v = new MapViewport(48.85837, 2.29448, 15, 500, 300);
    MapViewport.LatLon underMouse = v.toLatLon(300, 200);
    v.panBy(-40, 25); // mouse dragged 40 px left, 25 down
    MapViewport.LatLon now = v.toLatLon(260, 225);
    assertThat(now.latitude()).isCloseTo(underMouse.latitude(), within(1e-9));
    assertThat(now.longitude()).isCloseTo(underMouse.longitude(), within(1e-9));
    assertThat(v.center().longitude()).isGreaterThan(2.29448); // dragged left: east comes into view
    v.panBy(40, -25);
    assertThat(v.center().longitude()).isCloseTo(2.29448, within(1e-9));
  }

  @Test
  void zoomingKeepsThePlaceUnderTheMouse() {
    MapViewport v = new MapViewport(48.85837, 2.29448, 10, 500, 300);
    MapViewport.LatLon before = v.toLatLon(400, 50);
    assertThat(v.zoomBy(1, 400, 50)).isTrue();
    assertThat(v.zoom()).isEqualTo(11);
    MapViewport.LatLon after = v.toLatLon(400, 50);
    assertThat(after.latitude()).isCloseTo(before.latitude(), within(1e-9));
    assertThat(after.longitude()).isCloseTo(before.longitude(), within(1e-9));
    assertThat(v.zoomBy(-3, 250, 150)).isTrue();
    assertThat(v.zoom()).isEqualTo(8);
  }

  @Test
  void zoomStopsAtItsLimits() {
    MapViewport v = new MapViewport(0, 0, 19, 300, 200, 1, 19);
    assertThat(v.zoomBy(1, 150, 100)).isFalse();
    assertThat(v.zoom()).isEqualTo(19);
    v.zoomBy(-40, 150, 100);
    assertThat(v.zoom()).isEqualTo(1);
    assertThat(v.zoomBy(-1, 150, 100)).isFalse();
  }

  @Test
  void panningAcrossTheDateLineWrapsAndTheNorthEdgeStops() {
    MapViewport v = new MapViewport(0, 179.9, 3, 400, 300);
    v.panBy(-200, 0); // east across 180°: 200 px are 35.16° at zoom 3
    assertThat(v.center().longitude()).isCloseTo(179.9 + 200 * 360.0 / 2048 - 360, within(1e-9));
    assertThat(v.tiles()).allSatisfy(t -> assertThat(t.tile().x()).isBetween(0, 7));
    assertThat(v.tiles().stream().map(t -> t.tile().x())).contains(7, 0);
    v.panBy(0, 1_000_000); // far past the north edge
    assertThat(v.center().latitude()).isCloseTo(85.0511, within(1e-4));
    assertThat(v.tiles()).allSatisfy(t -> assertThat(t.tile().y()).isGreaterThanOrEqualTo(0));
  }
}
