package org.parley.client.api.payments;

import java.util.Locale;
import java.util.Objects;
import org.parley.client.api.InvalidInputException;

/**
 * A UPI ID (virtual payment address), {@code name@handle}: the name is letters, digits, '.', '-' and '_' (at least
 * 2); the handle names the payment app's bank, letters then letters or digits (2 to 64); the whole is at most 255
 * characters, UPI's limit for a payment address. UPI IDs are case-insensitive; this one is kept in lower case.
 */
public record Vpa(String value) {

  public static final int MAX_LENGTH = 255;

  public Vpa {
    Objects.requireNonNull(value, "value");
    value = value.strip().toLowerCase(Locale.ROOT);
    String problem = problem(value);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  public static Vpa parse(String text) throws InvalidInputException {
    try {
      return new Vpa(text);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage(), e);
    }
  }

  public String name() {
    return value.substring(0, value.indexOf('@'));
  }

  public String handle() {
    return value.substring(value.indexOf('@') + 1);
  }

  @Override
  public String toString() {
    return value;
  }

  private static String problem(String vpa) {
    String shown = vpa.length() > 60 ? vpa.substring(0, 60) + "…" : vpa;
    int at = vpa.indexOf('@');
    if (at < 0) {
      return "A UPI ID looks like name@bank (e.g. alice@okbank); \"" + shown + "\" has no @";
    }
    if (vpa.indexOf('@', at + 1) >= 0) {
      return "A UPI ID has one @; \"" + shown + "\" has more";
    }
    if (vpa.length() > MAX_LENGTH) {
      return "A UPI ID has at most " + MAX_LENGTH + " characters, not " + vpa.length();
    }
    String name = vpa.substring(0, at);
    String handle = vpa.substring(at + 1);
    if (name.length() < 2) {
      return "The name before @ in a UPI ID has at least 2 characters: \"" + shown + "\"";
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!(isLetterOrDigit(c) || c == '.' || c == '-' || c == '_')) {
        return "The name before @ in a UPI ID may only hold letters, digits, '.', '-' and '_', not "
            + describe(c) + ": \"" + shown + "\"";
      }
    }
    if (handle.length() < 2 || handle.length() > 64) {
      return "The bank handle after @ in a UPI ID has 2 to 64 characters: \"" + shown + "\"";
    }
    if (!(handle.charAt(0) >= 'a' && handle.charAt(0) <= 'z')) {
      return "The bank handle after @ in a UPI ID starts with a letter: \"" + shown + "\"";
    }
    for (int i = 0; i < handle.length(); i++) {
      if (!isLetterOrDigit(handle.charAt(i))) {
        return "The bank handle after @ in a UPI ID may only hold letters and digits, not "
            + describe(handle.charAt(i)) + ": \"" + shown + "\"";
      }
    }
    return null;
  }

  private static boolean isLetterOrDigit(char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); // ASCII only; the value is already lower case
  }

  private static String describe(char c) {
    return c == ' ' ? "a space" : Character.isISOControl(c) || Character.isWhitespace(c) || c > 0x7e
        ? String.format("U+%04X", (int) c) : "'" + c + "'";
  }
}
