package org.parley.server.registration;

import java.util.regex.Pattern;
import org.parley.server.api.ApiException;

/** E.164 numbers: '+', a country code that does not start with 0, at most 15 digits in all. */
public final class PhoneNumbers {

  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

  private PhoneNumbers() {}

  public static String requireE164(String number) throws ApiException {
    if (number == null || !E164.matcher(number).matches()) {
      throw ApiException.badRequest("invalid_number",
          "Not a phone number in E.164 form (a '+', the country code, then the number; 8 to 15 digits, e.g."
              + " +15551234567): '" + (number == null ? "" : number) + "'");
    }
    return number;
  }
}
