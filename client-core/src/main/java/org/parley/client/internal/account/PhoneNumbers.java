package org.parley.client.internal.account;

import java.util.regex.Pattern;
import org.parley.client.api.InvalidInputException;

/** Phone numbers as accounts are registered under them: E.164, a plus and 7–15 digits. */
public final class PhoneNumbers {

  private static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

  private PhoneNumbers() {}

  /** Returns {@code number}, or refuses it with a message that shows the expected form. */
  public static String check(String number) throws InvalidInputException {
    if (number == null || !E164.matcher(number).matches()) {
      throw new InvalidInputException("'" + number + "' is not a phone number in E.164 form, e.g. +15551234567");
    }
    return number;
  }
}
