package org.parley.client.api.location;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.UserText;

/**
 * A place shared in a conversation (WGS 84). Every Location is valid: the constructor refuses out-of-range, NaN or
 * infinite numbers and names or addresses that are too long or hold control characters; {@link #of} and
 * {@link #parse} report the same problems as {@link InvalidInputException}s. Names and addresses are trimmed, and a
 * blank one counts as absent.
 *
 * @param latitude degrees north, -90 to 90
 * @param longitude degrees east, -180 to 180
 * @param accuracyMeters radius of uncertainty (a GPS fix has one; typed coordinates do not), 0 to 100 km
 * @param name what the place is called ("Eiffel Tower"), at most 100 characters, one line
 * @param address its postal address, at most 300 characters, line breaks allowed
 */
public record Location(double latitude, double longitude, Optional<Double> accuracyMeters, Optional<String> name,
    Optional<String> address) {

  public static final int MAX_NAME_LENGTH = 100;
  public static final int MAX_ADDRESS_LENGTH = 300;
  /** Beyond this a position says little more than the country: 100 km. */
  public static final double MAX_ACCURACY_METERS = 100_000;
  /** The zoom of {@link #openStreetMapLink()}: streets and buildings. */
  public static final int DEFAULT_ZOOM = 17;

  private static final String NUMBER = "([+-]?\\d{1,3}(?:\\.\\d{1,15})?)";
  private static final Pattern COORDINATES = Pattern.compile(
      "\\s*(?:geo:)?" + NUMBER + "\\s*,\\s*" + NUMBER + "(?:,[+-]?\\d+(?:\\.\\d+)?)?"
          + "(?:;u=(\\d{1,6}(?:\\.\\d{1,6})?))?\\s*", Pattern.CASE_INSENSITIVE);

  public Location {
    Objects.requireNonNull(accuracyMeters, "accuracyMeters");
    name = trimmed(Objects.requireNonNull(name, "name"));
    address = trimmed(Objects.requireNonNull(address, "address"));
    String problem = problem(latitude, longitude, accuracyMeters, name, address);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  /** Coordinates without accuracy, name or address. */
  public static Location of(double latitude, double longitude) throws InvalidInputException {
    return of(latitude, longitude, Optional.empty(), Optional.empty(), Optional.empty());
  }

  public static Location of(double latitude, double longitude, Optional<Double> accuracyMeters,
      Optional<String> name, Optional<String> address) throws InvalidInputException {
    try {
      return new Location(latitude, longitude, accuracyMeters, name, address);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage(), e);
    }
  }

  /**
   * Coordinates as people paste them: {@code 48.85837,2.29448} (latitude first, a dot for decimals, spaces
   * allowed after the comma), or a {@code geo:} URI (RFC 5870) such as {@code geo:48.85837,2.29448;u=35}, whose
   * uncertainty becomes the accuracy.
   */
  public static Location parse(String text) throws InvalidInputException {
    Matcher m = COORDINATES.matcher(text);
    if (!m.matches()) {
      String shown = text.length() > 40 ? text.substring(0, 40) + "…" : text;
      throw new InvalidInputException("\"" + shown + "\" is not a pair of coordinates: write LATITUDE,LONGITUDE "
          + "in degrees with a dot for decimals, e.g. 48.85837,2.29448");
    }
    Optional<Double> accuracy = Optional.ofNullable(m.group(3)).map(Double::valueOf);
    return of(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), accuracy, Optional.empty(),
        Optional.empty());
  }

  /** This place on openstreetmap.org, with a marker, at {@link #DEFAULT_ZOOM}. */
  public URI openStreetMapLink() {
    return openStreetMapLink(DEFAULT_ZOOM);
  }

  /** This place on openstreetmap.org with a marker ({@code mlat}/{@code mlon}), the map centred on it. */
  public URI openStreetMapLink(int zoom) {
    MapTile.checkZoom(zoom);
    String lat = degrees(latitude);
    String lon = degrees(longitude);
    return URI.create("https://www.openstreetmap.org/?mlat=" + lat + "&mlon=" + lon + "#map=" + zoom + "/" + lat
        + "/" + lon);
  }

  /** A {@code geo:} URI (RFC 5870) that map apps open, with the accuracy as its uncertainty. */
  public URI geoUri() {
    return URI.create("geo:" + degrees(latitude) + "," + degrees(longitude)
        + accuracyMeters.map(a -> ";u=" + BigDecimal.valueOf(a).setScale(1, RoundingMode.HALF_UP)
            .stripTrailingZeros().toPlainString()).orElse(""));
  }

  /** Degrees to 6 decimals (about 0.1 m), without trailing zeros: what the links show. */
  static String degrees(double value) {
    BigDecimal d = BigDecimal.valueOf(value).setScale(6, RoundingMode.HALF_UP).stripTrailingZeros();
    return d.signum() == 0 ? "0" : d.toPlainString();
  }

  private static Optional<String> trimmed(Optional<String> text) {
    return text.map(String::strip).filter(s -> !s.isEmpty());
  }

  private static String problem(double latitude, double longitude, Optional<Double> accuracy, Optional<String> name,
      Optional<String> address) {
    String coordinate = coordinateProblem("Latitude", latitude, 90);
    if (coordinate == null) {
      coordinate = coordinateProblem("Longitude", longitude, 180);
    }
    if (coordinate != null) {
      return coordinate;
    }
    if (accuracy.isPresent()) {
      double a = accuracy.get();
      if (Double.isNaN(a) || Double.isInfinite(a) || a < 0 || a > MAX_ACCURACY_METERS) {
        return "Accuracy must be between 0 and 100,000 metres, not " + a;
      }
    }
    String problem = name.map(n -> UserText.problem("The place's name", n, MAX_NAME_LENGTH, false)).orElse(null);
    return problem != null ? problem
        : address.map(a -> UserText.problem("The address", a, MAX_ADDRESS_LENGTH, true)).orElse(null);
  }

  private static String coordinateProblem(String which, double value, int limit) {
    if (Double.isNaN(value)) {
      return which + " is not a number (NaN)";
    }
    if (Double.isInfinite(value)) {
      return which + " must be a finite number of degrees, not " + value;
    }
    if (value < -limit || value > limit) {
      return which + " must be between -" + limit + " and " + limit + " degrees, not " + value;
    }
    return null;
  }
}
