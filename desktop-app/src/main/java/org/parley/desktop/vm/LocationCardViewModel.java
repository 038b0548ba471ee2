package org.parley.desktop.vm;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.util.Optional;
import java.util.function.Consumer;
import org.parley.client.api.location.Location;

/**
 * A place shared in a conversation, as its bubble shows it: the name (or "Location"), the coordinates in degrees
 * with N/S and E/W, the address, and "Open in map" (openstreetmap.org in the browser).
 */
public final class LocationCardViewModel {

  public final String title;
  public final String coordinates;
  public final Optional<String> address;
  public final Optional<String> accuracy;
  public final URI mapLink;
  public final double latitude;
  public final double longitude;
  private final Consumer<URI> browser;

  /** @param browser opens a link in the user's browser (the app's host services; a recorder in tests) */
  public LocationCardViewModel(Location place, Consumer<URI> browser) {
    this.title = place.name().orElse("Location");
    this.coordinates = degrees(place.latitude(), "N", "S") + ", " + degrees(place.longitude(), "E", "W");
    this.address = place.address();
    this.accuracy = place.accuracyMeters().map(LocationCardViewModel::accuracy);
    this.mapLink = place.openStreetMapLink();
    this.latitude = place.latitude();
    this.longitude = place.longitude();
    this.browser = browser;
  }

  public void openInMap() {
    browser.accept(mapLink);
  }

  /** 48.85837° N: five decimals (about a metre), the hemisphere as a letter rather than a sign. */
  static String degrees(double value, String positive, String negative) {
    BigDecimal d = BigDecimal.valueOf(Math.abs(value)).setScale(5, RoundingMode.HALF_UP).stripTrailingZeros();
    return d.toPlainString() + "° " + (value < 0 ? negative : positive);
  }

  private static String accuracy(double meters) {
    return meters >= 1000 ? "± " + BigDecimal.valueOf(meters / 1000).setScale(1, RoundingMode.HALF_UP)
        .stripTrailingZeros().toPlainString() + " km" : "± " + Math.round(meters) + " m";
  }
}
