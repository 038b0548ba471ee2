package org.parley.client.internal.location;

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

  public static Location fromProto(LocationMessage message) throws InvalidInputException {
    return Location.of(message.getLatitude(), message.getLongitude(),
        message.hasAccuracyMeters() ? Optional.of(message.getAccuracyMeters()) : Optional.empty(),
        message.hasName() ? Optional.of(message.getName()) : Optional.empty(),
        message.hasAddress() ? Optional.of(message.getAddress()) : Optional.empty());
  }
}
