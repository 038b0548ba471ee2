package org.parley.client.api.location;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Scale;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class MapTileTest {

  @Test
  void knownPlacesFallOnTheirTiles() {
    assertThat(MapTile.containing(48.85837, 2.29448, 17)).isEqualTo(new MapTile(17, 66371, 45091)); // Eiffel Tower
    assertThat(MapTile.containing(-33.85678, 151.21530, 15)).isEqualTo(new MapTile(15, 30147, 19662)); // Sydney
    assertThat(MapTile.containing(12, 34, 0)).isEqualTo(new MapTile(0, 0, 0)); // the whole world
    assertThat(MapTile.containing(0.0001, 0.0001, 1)).isEqualTo(new MapTile(1, 1, 0)); // just NE of (0, 0)
    assertThat(MapTile.containing(-0.0001, -0.0001, 1)).isEqualTo(new MapTile(1, 0, 1));
    // The poles and the antimeridian are drawn on the edge tiles.
    assertThat(MapTile.containing(90, 180, 4)).isEqualTo(new MapTile(4, 15, 0));
    assertThat(MapTile.containing(-90, -180, 4)).isEqualTo(new MapTile(4, 0, 15));
    TilePoint corner = new MapTile(2, 0, 0).northWest();
    assertThat(corner.latitude()).isCloseTo(85.0511287798, Offset.offset(1e-9));
    assertThat(corner.longitude()).isEqualTo(-180);
    assertThat(new MapTile(17, 66371, 45091).url(MapTile.OPENSTREETMAP_TILES))
        .hasToString("https://tile.openstreetmap.org/17/66371/45091.png");
  }

  @Test
  void impossibleTilesAndTemplatesAreRefused() {
    assertThatThrownBy(() -> new MapTile(2, 4, 0)).hasMessage("tile 4/0 does not exist at zoom 2 (0 to 3)");
    assertThatThrownBy(() -> new MapTile(-1, 0, 0)).hasMessage("zoom must be 0 to 19, not -1");
    assertThatThrownBy(() -> TilePoint.of(Double.NaN, 0, 3)).hasMessageContaining("not a position");
    assertThatThrownBy(() -> new MapTile(1, 0, 0).url("https://tiles.example/{z}/{x}.png"))
        .hasMessageContaining("needs {z}, {x} and {y}");
  }

  @Property
  void aPointLiesInsideItsTileAndConvertsBack(@ForAll @DoubleRange(min = -85.05, max = 85.05) @Scale(8) double latitude,
      @ForAll @DoubleRange(min = -180, max = 180, maxIncluded = false) @Scale(8) double longitude, @ForAll @IntRange(max = 19) int zoom) {
    TilePoint point = TilePoint.of(latitude, longitude, zoom);
    assertThat(point.latitude()).isCloseTo(latitude, Offset.offset(1e-9));
    assertThat(point.longitude()).isCloseTo(longitude, Offset.offset(1e-9));
    MapTile tile = point.tile();
    TilePoint northWest = tile.northWest();
    assertThat(northWest.latitude()).isGreaterThanOrEqualTo(latitude - 1e-9);
    assertThat(northWest.longitude()).isLessThanOrEqualTo(longitude + 1e-9);
    if (tile.x() + 1 < (1 << zoom) && tile.y() + 1 < (1 << zoom)) {
      TilePoint southEast = new MapTile(zoom, tile.x() + 1, tile.y() + 1).northWest();
      assertThat(southEast.latitude()).isLessThan(latitude + 1e-9);
      assertThat(southEast.longitude()).isGreaterThan(longitude - 1e-9);
    }
  }
}
