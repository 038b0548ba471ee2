package org.parley.desktop.vm;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.location.Location;

/**
 * Coordinates as people type or paste them into "Share location": decimal degrees ({@code 48.85837, 2.29448},
 * with signs or N/S/E/W), degrees-minutes(-seconds) ({@code 48°51'30"N 2°17'40"E}, {@code 48°51.5'N 2°17.7'E}),
 * {@code geo:} URIs, and OpenStreetMap or Google Maps links ({@code mlat}/{@code mlon}, {@code #map=z/lat/lon},
 * {@code @lat,lon}, {@code !3dlat!4dlon}, {@code q=lat,lon}). Nothing is looked up on the network: a short link has
 * to be opened in a browser first. Everything else is refused with a message that says what to write.
 */
public final class Coordinates {

  private static final int MAX_TEXT = 2000;
  private static final String NUM = "\\d{1,3}(?:\\.\\d{1,15})?";
  private static final String SMALL = "\\d{1,2}(?:\\.\\d{1,15})?";
  /** One coordinate: optional hemisphere before, sign, degrees, optional minutes and seconds, hemisphere after. */
  private static final String ONE = "([NSEW])?\\s*([+−-])?\\s*(" + NUM + ")\\s*(?:[°º˚]|\\s*deg\\b)?\\s*"
      + "(?:(" + SMALL + ")\\s*['′’]\\s*(?:(" + SMALL + ")\\s*(?:\"|″|”|''|′′))?\\s*)?([NSEW])?";
  private static final Pattern PAIR = Pattern.compile("\\s*" + ONE
      + "(?:\\s*[,;]\\s*|\\s+|(?<=[NSEW\"″”'′°]))" + ONE + "\\s*", Pattern.CASE_INSENSITIVE);
  private static final Pattern DECIMAL_PAIR = Pattern.compile(
      "\\s*([+-]?" + NUM + ")\\s*,\\s*([+-]?" + NUM + ")\\s*");
  private static final Pattern AT = Pattern.compile("@([+-]?" + NUM + "),([+-]?" + NUM + ")");
  private static final Pattern DATA_3D4D = Pattern.compile("!3d([+-]?" + NUM + ")!4d([+-]?" + NUM + ")");
  private static final Pattern OSM_MAP = Pattern.compile("map=\\d{1,2}/([+-]?" + NUM + ")/([+-]?" + NUM + ")");
  private static final Pattern DECIMAL_COMMAS = Pattern.compile("\\s*-?\\d+,\\d+[\\s;]+-?\\d+,\\d+\\s*"
      + "|\\s*-?\\d+,\\d+\\s*,\\s*-?\\d+,\\d+\\s*");

  private Coordinates() {}

  /** The place the text names (no name: the sheet's label field gives that), or why it names none. */
  public static Location parse(String text) throws InvalidInputException {
    String t = text == null ? "" : text.strip();
    if (t.isEmpty()) {
      throw new InvalidInputException("Type or paste coordinates, e.g. 48.85837, 2.29448");
    }
    if (t.length() > MAX_TEXT) {
      throw new InvalidInputException("That is too long for coordinates or a map link");
    }
    String lower = t.toLowerCase(Locale.ROOT);
    if (lower.startsWith("geo:")) {
      return geo(t);
    }
    if (lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("www.")
        || lower.startsWith("maps.") || lower.startsWith("openstreetmap.")) {
      return link(t);
    }
    if (DECIMAL_COMMAS.matcher(t).matches()) {
      throw new InvalidInputException("Write decimals with a dot, not a comma: e.g. 48.85837, 2.29448");
    }
    return pair(t);
  }

  private static Location pair(String t) throws InvalidInputException {
    Matcher m = PAIR.matcher(t);
    if (!m.matches()) {
      throw new InvalidInputException("\"" + shown(t) + "\" is not a pair of coordinates. Write latitude and "
          + "longitude, e.g. 48.85837, 2.29448 or 48°51'30\"N 2°17'40\"E, or paste a map link");
    }
    String firstAfter = m.group(6);
    String secondBefore = m.group(7);
    if (m.group(1) != null && firstAfter != null && secondBefore == null && m.group(12) == null) {
      // "N 48.8 E 2.3": the E read as the first one's suffix is the second one's prefix.
      secondBefore = firstAfter;
      firstAfter = null;
    }
    Part first = part(m, 1, m.group(1), firstAfter);
    Part second = part(m, 7, secondBefore, m.group(12));
    if (first.hemisphere != null && second.hemisphere != null) {
      if (first.isLongitude() == second.isLongitude()) {
        throw new InvalidInputException("Both coordinates are " + (first.isLongitude() ? "longitudes (E/W)"
            : "latitudes (N/S)") + ": give one N or S and one E or W");
      }
      if (first.isLongitude()) {
        Part swap = first;
        first = second;
        second = swap;
      }
    } else if (first.hemisphere != null && first.isLongitude() || second.hemisphere != null
        && !second.isLongitude()) {
      throw new InvalidInputException("Latitude (N/S) comes first, then longitude (E/W); with a letter on one, "
          + "give letters on both");
    }
    return location(first.degrees("Latitude"), second.degrees("Longitude"), Optional.empty());
  }

  private record Part(Character hemisphere, boolean negative, String degrees, String minutes, String seconds) {

    boolean isLongitude() {
      return hemisphere == 'E' || hemisphere == 'W';
    }

    double degrees(String which) throws InvalidInputException {
      if (negative && hemisphere != null && (hemisphere == 'S' || hemisphere == 'W')) {
        throw new InvalidInputException(which + " has both a minus sign and " + hemisphere
            + ": use one of them");
      }
      double value = Double.parseDouble(degrees);
      if (minutes != null) {
        if (degrees.contains(".")) {
          throw new InvalidInputException(which + ": degrees with decimals cannot have minutes too");
        }
        double min = Double.parseDouble(minutes);
        if (min >= 60) {
          throw new InvalidInputException(which + ": minutes go up to 59, not " + minutes);
        }
        if (seconds != null) {
          if (minutes.contains(".")) {
            throw new InvalidInputException(which + ": minutes with decimals cannot have seconds too");
          }
          double sec = Double.parseDouble(seconds);
          if (sec >= 60) {
            throw new InvalidInputException(which + ": seconds go up to 59.99…, not " + seconds);
          }
          min += sec / 60;
        }
        value += min / 60;
      }
      boolean south = hemisphere != null && (hemisphere == 'S' || hemisphere == 'W');
      return negative || south ? -value : value;
    }
  }

  private static Part part(Matcher m, int group, String before, String after) throws InvalidInputException {
    if (before != null && after != null) {
      throw new InvalidInputException("A coordinate has its letter (N, S, E or W) twice: \"" + shown(m.group())
          + "\"");
    }
    String letter = before != null ? before : after;
    Character hemisphere = letter == null ? null : Character.toUpperCase(letter.charAt(0));
    String sign = m.group(group + 1);
    return new Part(hemisphere, sign != null && !sign.equals("+"), m.group(group + 2), m.group(group + 3),
        m.group(group + 4));
  }

  /** {@code geo:lat,lon[,alt][;u=metres][?q=…]} (RFC 5870; Android's {@code geo:0,0?q=lat,lon(label)} too). */
  private static Location geo(String t) throws InvalidInputException {
    String rest = t.substring(4);
    String query = "";
    int question = rest.indexOf('?');
    if (question >= 0) {
      query = rest.substring(question + 1);
      rest = rest.substring(0, question);
    }
    String[] params = rest.split(";");
    String[] numbers = params[0].split(",");
    Optional<Double> accuracy = Optional.empty();
    for (int i = 1; i < params.length; i++) {
      String p = params[i].strip().toLowerCase(Locale.ROOT);
      if (p.startsWith("u=")) {
        try {
          accuracy = Optional.of(Double.parseDouble(p.substring(2)));
        } catch (NumberFormatException e) {
          throw new InvalidInputException("The geo: link's uncertainty (u=) is not a number: " + shown(p));
        }
      }
    }
    Optional<String> q = param(query, "q");
    boolean zero = numbers.length >= 2 && numbers[0].strip().matches("0+(\\.0*)?")
        && numbers[1].strip().matches("0+(\\.0*)?");
    if (q.isPresent() && (zero || numbers.length < 2)) {
      String coords = q.get().replaceAll("\\(.*\\)\\s*$", "").strip();
      Matcher m = DECIMAL_PAIR.matcher(coords);
      if (m.matches()) {
        return location(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), accuracy);
      }
      throw new InvalidInputException("This geo: link searches for \"" + shown(q.get())
          + "\" rather than naming a point; Parley does not look places up");
    }
    if (numbers.length < 2 || numbers.length > 3) {
      throw new InvalidInputException("A geo: link looks like geo:48.85837,2.29448");
    }
    Matcher m = DECIMAL_PAIR.matcher(numbers[0] + "," + numbers[1]);
    if (!m.matches()) {
      throw new InvalidInputException("A geo: link looks like geo:48.85837,2.29448, not \"" + shown(t) + "\"");
    }
    return location(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), accuracy);
  }

  /** An OpenStreetMap or Google Maps link (or any link with the same parameters). */
  private static Location link(String t) throws InvalidInputException {
    String text = t.startsWith("http") ? t : "https://" + t;
    URI uri;
    try {
      uri = URI.create(text.replace(" ", "%20").replace("|", "%7C"));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException("That link cannot be read: " + shown(t));
    }
    String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
    String query = uri.getRawQuery() == null ? "" : uri.getRawQuery();
    String path = uri.getRawPath() == null ? "" : URLDecoder.decode(uri.getRawPath(), StandardCharsets.UTF_8);
    String fragment = uri.getRawFragment() == null ? "" : uri.getRawFragment();
    Optional<String> mlat = param(query, "mlat");
    Optional<String> mlon = param(query, "mlon");
    if (mlat.isPresent() && mlon.isPresent()) {
      return decimalPair(mlat.get() + "," + mlon.get(), t);
    }
    Matcher data = DATA_3D4D.matcher(path + "?" + query);
    if (data.find()) { // the place itself, where @ is the map's centre
      return decimalPair(data.group(1) + "," + data.group(2), t);
    }
    for (String name : new String[] {"q", "query", "ll", "center", "destination"}) {
      Optional<String> value = param(query, name);
      if (value.isPresent() && DECIMAL_PAIR.matcher(value.get()).matches()) {
        return decimalPair(value.get(), t);
      }
    }
    Matcher at = AT.matcher(path);
    if (at.find()) {
      return decimalPair(at.group(1) + "," + at.group(2), t);
    }
    Matcher map = OSM_MAP.matcher(fragment + "&" + query);
    if (map.find()) {
      return decimalPair(map.group(1) + "," + map.group(2), t);
    }
    if (host.equals("goo.gl") || host.endsWith(".goo.gl") || host.equals("osm.org") && path.startsWith("/go/")) {
      throw new InvalidInputException("Short links hide the place: open it in a browser and paste the full link "
          + "from the address bar");
    }
    throw new InvalidInputException("This link has no coordinates in it. Paste an OpenStreetMap link (with "
        + "mlat/mlon or #map=) or a Google Maps link with @latitude,longitude, or the coordinates themselves");
  }

  private static Location decimalPair(String pair, String original) throws InvalidInputException {
    Matcher m = DECIMAL_PAIR.matcher(pair);
    if (!m.matches()) {
      throw new InvalidInputException("The coordinates in this link cannot be read: " + shown(original));
    }
    return location(Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2)), Optional.empty());
  }

  private static Location location(double lat, double lon, Optional<Double> accuracy)
      throws InvalidInputException {
    return Location.of(lat, lon, accuracy, Optional.empty(), Optional.empty());
  }

  private static Optional<String> param(String query, String name) {
    for (String pair : query.split("[&;]")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equalsIgnoreCase(name)) {
        return Optional.of(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8).strip());
      }
    }
    return Optional.empty();
  }

  private static String shown(String t) {
    return t.length() > 40 ? t.substring(0, 40) + "…" : t;
  }

  /** The decimal form the sheet writes back into its field: {@code 48.85837, 2.29448} (5 decimals, ~1 m). */
  public static String format(double latitude, double longitude) {
    return String.format(Locale.ROOT, "%.5f, %.5f", latitude, longitude);
  }
}
