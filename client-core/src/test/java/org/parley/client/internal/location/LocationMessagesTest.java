package org.parley.client.internal.location;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.location.Location;
import org.parley.client.internal.proto.Content;
import org.parley.client.internal.proto.DataMessage;
import org.parley.client.internal.proto.LocationMessage;

class LocationMessagesTest {

  @Test
  void aLocationSurvivesTheWireWithItsOptionalPartsAbsentOrPresent() throws Exception {
    Location full = Location.of(48.85837, 2.29448, Optional.of(0.0), Optional.of("Eiffel Tower"),
        Optional.of("Av. Gustave Eiffel\n75007 Paris"));
    Location bare = Location.of(-33.85678, 151.2153);
    for (Location location : new Location[] {full, bare}) {
      byte[] wire = Content.newBuilder().setData(DataMessage.newBuilder().setTimestamp(1)
          .setLocation(LocationMessages.toProto(location))).build().toByteArray();
      LocationMessage back = Content.parseFrom(wire).getData().getLocation();
      assertThat(LocationMessages.fromProto(back)).isEqualTo(location);
    }
    // An accuracy of 0 stays present (proto3 optional), not absent.
    assertThat(LocationMessages.toProto(full).hasAccuracyMeters()).isTrue();
    assertThat(LocationMessages.toProto(bare).hasAccuracyMeters()).isFalse();
  }

  @Test
  void aReceivedLocationIsCheckedLikeTypedInput() {
    refused(LocationMessage.newBuilder().setLatitude(Double.NaN).build(), "Latitude is not a number (NaN)");
    refused(LocationMessage.newBuilder().setLongitude(181).build(), "Longitude must be between -180 and 180");
    refused(LocationMessage.newBuilder().setAccuracyMeters(Double.NEGATIVE_INFINITY).build(), "Accuracy must be");
    refused(LocationMessage.newBuilder().setName("n".repeat(100_000)).build(), "too long: 100000 characters");
    refused(LocationMessage.newBuilder().setAddress("a\u0000b").build(), "control character (U+0000)");
  }

  private static void refused(LocationMessage message, String reason) {
    assertThatThrownBy(() -> LocationMessages.fromProto(message)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(reason);
  }
}
