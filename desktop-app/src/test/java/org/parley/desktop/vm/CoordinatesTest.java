package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.location.Location;

/** What "Share location" accepts typed or pasted, and what it refuses with which words. */
class CoordinatesTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "48.85837, 2.29448 | 48.85837 | 2.29448",
      "48.85837,2.29448 | 48.85837 | 2.29448",
      "48.85837 2.29448 | 48.85837 | 2.29448",
      "  -33.85678 ; 151.21530  | -33.85678 | 151.2153",
      "+40.6892, -74.0445 | 40.6892 | -74.0445",
      "48.85837 N, 2.29448 E | 48.85837 | 2.29448",
      "48.85837°N 2.29448°E | 48.85837 | 2.29448",
      "33.85678 S 151.2153 E | -33.85678 | 151.2153",
      "N 48.85837 E 2.29448 | 48.85837 | 2.29448",
      "2.29448 E, 48.85837 N | 48.85837 | 2.29448",
      "40.6892 n 74.0445 w | 40.6892 | -74.0445",
      "48°51'30\"N 2°17'40\"E | 48.858333 | 2.294444",
      "48°51′30″N, 2°17′40″E | 48.858333 | 2.294444",
      "48° 51' 30.1\" N 2° 17' 40.2\" E | 48.858361 | 2.2945",
      "33°51'24.4\"S 151°12'55.1\"E | -33.856778 | 151.215306",
      "48°51.5'N 2°17.7'E | 48.858333 | 2.295",
      "48°51'30\"N2°17'40\"E | 48.858333 | 2.294444",
      "geo:48.85837,2.29448 | 48.85837 | 2.29448",
      "geo:48.85837,2.29448;u=35 | 48.85837 | 2.29448",
      "geo:0,0?q=-33.85678,151.2153(Opera House) | -33.85678 | 151.2153",
      "https://www.openstreetmap.org/?mlat=48.85837&mlon=2.29448#map=17/48.85837/2.29448 | 48.85837 | 2.29448",
      "https://www.openstreetmap.org/#map=17/48.85837/2.29448 | 48.85837 | 2.29448",
      "https://www.openstreetmap.org/way/5013364#map=18/48.858370/2.294480&layers=N | 48.85837 | 2.29448",
      "https://www.google.com/maps/@48.8583701,2.2944813,17z | 48.8583701 | 2.2944813",
      "https://www.google.com/maps/place/Eiffel+Tower/@48.8583701,2.2922926,17z/data=!3m1!4b1!4m6!3m5!1s0x47e66e2964e34e2d:0x8ddca9ee380ef7e0!8m2!3d48.8583701!4d2.2944813 | 48.8583701 | 2.2944813",
      "https://maps.google.com/?q=48.85837,2.29448 | 48.85837 | 2.29448",
      "https://www.google.com/maps/search/?api=1&query=-33.85678%2C151.2153 | -33.85678 | 151.2153",
      "www.openstreetmap.org/?mlat=-33.85678&mlon=151.2153 | -33.85678 | 151.2153",
  })
  void readsCommonFormats(String text, double latitude, double longitude) throws Exception {
    Location place = Coordinates.parse(text);
    assertThat(place.latitude()).isCloseTo(latitude, within(1e-6));
    assertThat(place.longitude()).isCloseTo(longitude, within(1e-6));
  }

  @Test
  void aGeoUrisUncertaintyIsTheAccuracy() throws Exception {
    assertThat(Coordinates.parse("geo:48.85837,2.29448;u=35").accuracyMeters()).contains(35.0);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "'' | Type or paste coordinates",
      "hello | is not a pair of coordinates",
      "48.85837 | is not a pair of coordinates",
      "4829 | is not a pair of coordinates",
      "48,85837, 2,29448 | with a dot, not a comma",
      "48,85837 2,29448 | with a dot, not a comma",
      "91, 0 | Latitude must be between -90 and 90",
      "0, 181 | Longitude must be between -180 and 180",
      "48.8 N 2.2 N | Both coordinates are latitudes",
      "48.8 E, 2.2 W | Both coordinates are longitudes",
      "-48.8 S 2.2 E | both a minus sign and S",
      "48°61'0\"N 2°17'40\"E | minutes go up to 59",
      "48°51'75\"N 2°17'40\"E | seconds go up to 59",
      "48.5°30'N 2°17'E | degrees with decimals cannot have minutes",
      "48.8 E 2.2 | Latitude (N/S) comes first",
      "geo:48.8 | A geo: link looks like",
      "geo:0,0?q=Eiffel+Tower | does not look places up",
      "https://example.com/nothing | This link has no coordinates",
      "https://maps.app.goo.gl/AbCdEf | Short links hide the place",
      "https://www.openstreetmap.org/?mlat=95&mlon=2 | Latitude must be between -90 and 90",
  })
  void refusesWithAClearReason(String text, String reason) {
    assertThatThrownBy(() -> Coordinates.parse(text)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(reason);
  }

  @Test
  void refusesHugeText() {
    assertThatThrownBy(() -> Coordinates.parse("1".repeat(5000))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("too long");
  }

  @Test
  void formatsFiveDecimals() {
    assertThat(Coordinates.format(48.858372, -2.2944813)).isEqualTo("48.85837, -2.29448");
  }
}
