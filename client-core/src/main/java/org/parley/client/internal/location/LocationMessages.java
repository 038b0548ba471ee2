package org.parley.client.internal.location;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.location.Location;
import org.parley.client.internal.proto.LocationMessage;

/** A {@link Location} to and from its wire form; what arrives is checked like what the user types. */
public final class LocationMessages {

  private LocationMessages() {}

  public static LocationMessage toProto(Location location) {
    LocationMessage.Builder message = LocationMessage.newBuilder()
        .setLatitude(location.latitude())
        .setLongitude(location.longitude());
    location.accuracyMeters().ifPresent(message::setAccuracyMeters);
    location.name().ifPresent(message::setName);
    location.address().ifPresent(message::setAddress);
    return message.build();
  }

  /**
   * The text stored with a location message, so history, search and front ends that do not draw places show it:
   * {@code Location: Eiffel Tower (48.85837, 2.29448)}.
   */
  public static String describe(Location location) {
    String coordinates = degrees(location.latitude()) + ", " + degrees(location.longitude());
    return "Location: " + location.name().map(n -> n + " (" + coordinates + ")").orElse(coordinates)
        + location.address().map(a -> ", " + a.replace('\n', ' ')).orElse("");
  }

  private static String degrees(double value) {
    BigDecimal d = BigDecimal.valueOf(value).setScale(6, RoundingMode.HALF_UP).stripTrailingZeros();
    return d.signum() == 0 ? "0" : d.toPlainString();
  }

  public static Location fromProto(LocationMessage message) throws InvalidInputException {
    return Location.of(message.getLatitude(), message.getLongitude(),
        message.hasAccuracyMeters() ? Optional.of(message.getAccuracyMeters()) : Optional.empty(),
        message.hasName() ? Optional.of(message.getName()) : Optional.empty(),
        message.hasAddress() ? Optional.of(message.getAddress()) : Optional.empty());
  }
}
