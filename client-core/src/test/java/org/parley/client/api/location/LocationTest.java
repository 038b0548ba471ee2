package org.parley.client.api.location;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.parley.client.api.InvalidInputException;

class LocationTest {

  @Test
  void coordinatesParseAsTheCliTakesThem() throws Exception {
    Location eiffel = Location.parse("48.85837,2.29448");
    assertThat(eiffel.latitude()).isEqualTo(48.85837);
    assertThat(eiffel.longitude()).isEqualTo(2.29448);
    assertThat(eiffel.accuracyMeters()).isEmpty();
    assertThat(Location.parse("  -33.85678, 151.2153 ")).isEqualTo(Location.of(-33.85678, 151.2153));
    assertThat(Location.parse("+90,-180")).isEqualTo(Location.of(90, -180));
    assertThat(Location.parse("geo:48.85837,2.29448;u=35")).isEqualTo(
        Location.of(48.85837, 2.29448, Optional.of(35.0), Optional.empty(), Optional.empty()));
    assertThat(Location.parse("GEO:48.85837,2.29448,330").accuracyMeters()).isEmpty(); // altitude ignored
  }

  @Test
  void malformedOrOutOfRangeCoordinatesAreRefusedWithTheReason() {
    for (String text : new String[] {"", "48.85837", "48,85837,2,29448", "48.85837;2.29448", "NaN,0", "Infinity,0",
        "0x1p3,0", "1e2,0", "48.85837,2.29448,", "abc", "12.,3", "1234,5"}) {
      assertThatThrownBy(() -> Location.parse(text)).as(text).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("is not a pair of coordinates: write LATITUDE,LONGITUDE");
    }
    assertThatThrownBy(() -> Location.parse("x".repeat(10_000))).hasMessageContaining("xxxx…\" is not a pair");
    assertThatThrownBy(() -> Location.parse("91,0")).isInstanceOf(InvalidInputException.class)
        .hasMessage("Latitude must be between -90 and 90 degrees, not 91.0");
    assertThatThrownBy(() -> Location.parse("0,-180.5"))
        .hasMessage("Longitude must be between -180 and 180 degrees, not -180.5");
    assertThatThrownBy(() -> Location.of(Double.NaN, 0)).hasMessage("Latitude is not a number (NaN)");
    assertThatThrownBy(() -> Location.of(0, Double.POSITIVE_INFINITY))
        .hasMessage("Longitude must be a finite number of degrees, not Infinity");
    assertThatThrownBy(() -> Location.of(0, 0, Optional.of(-1.0), Optional.empty(), Optional.empty()))
        .hasMessage("Accuracy must be between 0 and 100,000 metres, not -1.0");
    assertThatThrownBy(() -> Location.of(0, 0, Optional.of(Double.NaN), Optional.empty(), Optional.empty()))
        .hasMessageContaining("not NaN");
    assertThatThrownBy(() -> Location.parse("1,1;u=100000.5")).hasMessageContaining("not 100000.5");
    // The constructor enforces the same rules (no invalid Location exists).
    assertThatThrownBy(() -> new Location(-90.0001, 0, Optional.empty(), Optional.empty(), Optional.empty()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Latitude must be between");
  }

  @Test
  void namesAndAddressesAreTrimmedAndChecked() throws Exception {
    Location place = Location.of(48.85837, 2.29448, Optional.of(12.5), Optional.of("  Eiffel Tower "),
        Optional.of("Av. Gustave Eiffel\n75007 Paris"));
    assertThat(place.name()).contains("Eiffel Tower");
    assertThat(place.address()).contains("Av. Gustave Eiffel\n75007 Paris");
    assertThat(Location.of(1, 1, Optional.empty(), Optional.of("   "), Optional.of("")).name()).isEmpty();
    assertThat(Location.of(1, 1, Optional.empty(), Optional.of("\uD83D\uDDFC".repeat(100)), Optional.empty())
        .name()).isPresent(); // 100 characters (emoji count once), not 200 UTF-16 units

    assertThatThrownBy(() -> Location.of(1, 1, Optional.empty(), Optional.of("x".repeat(101)), Optional.empty()))
        .isInstanceOf(InvalidInputException.class)
        .hasMessage("The place's name is too long: 101 characters, at most 100");
    assertThatThrownBy(() -> Location.of(1, 1, Optional.empty(), Optional.empty(), Optional.of("a".repeat(301))))
        .hasMessage("The address is too long: 301 characters, at most 300");
    assertThatThrownBy(() -> Location.of(1, 1, Optional.empty(), Optional.of("Eiffel\nTower"), Optional.empty()))
        .hasMessage("The place's name contains a control character (U+000A) at position 7: it must be a single line");
    assertThatThrownBy(() -> Location.of(1, 1, Optional.empty(), Optional.of("bell\u0007"), Optional.empty()))
        .hasMessageContaining("control character (U+0007) at position 5");
    assertThatThrownBy(() -> Location.of(1, 1, Optional.empty(), Optional.empty(), Optional.of("a\u202Eb")))
        .hasMessage("The address contains a bidirectional control character (U+202E) at position 2");
    assertThatThrownBy(() -> Location.of(1, 1, Optional.empty(), Optional.of("a\uD800b"), Optional.empty()))
        .hasMessageContaining("not valid text (a broken character at position 2)");
  }

  @Test
  void openStreetMapAndGeoLinks() throws Exception {
    Location eiffel = Location.parse("48.85837,2.29448");
    assertThat(eiffel.openStreetMapLink()).hasToString(
        "https://www.openstreetmap.org/?mlat=48.85837&mlon=2.29448#map=17/48.85837/2.29448");
    assertThat(Location.of(-0.0000001, -179.1234567).openStreetMapLink(3)).hasToString(
        "https://www.openstreetmap.org/?mlat=0&mlon=-179.123457#map=3/0/-179.123457");
    assertThat(Location.of(1e-7, 10).openStreetMapLink(0).toString()).contains("mlat=0.0000001".substring(0, 6));
    assertThat(Location.parse("geo:48.85837,2.29448;u=35").geoUri()).hasToString("geo:48.85837,2.29448;u=35");
    assertThat(eiffel.geoUri()).hasToString("geo:48.85837,2.29448");
    assertThatThrownBy(() -> eiffel.openStreetMapLink(20)).hasMessage("zoom must be 0 to 19, not 20");
  }
}
