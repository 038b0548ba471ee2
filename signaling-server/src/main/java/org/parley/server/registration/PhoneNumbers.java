package org.parley.server.registration;

import java.util.regex.Pattern;
import org.parley.server.api.ApiException;

/** E.164 numbers: '+', a country code that does not start with 0, at most 15 digits in all. */
public final class PhoneNumbers {

  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");
  /** How much of a refused input the error repeats: enough to spot a typo, not a way to reflect a whole body. */
  static final int ECHO_LIMIT = 20;

  private PhoneNumbers() {}

  public static String requireE164(String number) throws ApiException {
    if (number == null || !E164.matcher(number).matches()) {
      throw ApiException.badRequest("invalid_number",
          "Not a phone number in E.164 form (a '+', the country code, then the number; 8 to 15 digits, e.g."
              + " +15551234567): '" + echo(number) + "'");
    }
    return number;
  }

  /** The start of {@code input}, printable characters only, marked when cut. */
  static String echo(String input) {
    if (input == null) {
      return "";
    }
    StringBuilder shown = new StringBuilder();
    input.codePoints().limit(ECHO_LIMIT)
        .forEach(c -> shown.appendCodePoint(Character.isISOControl(c) || !Character.isDefined(c) ? '?' : c));
    return input.codePointCount(0, input.length()) > ECHO_LIMIT ? shown + "…" : shown.toString();
  }
}
