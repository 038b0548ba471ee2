package org.parley.client.api.payments;

import java.security.SecureRandom;
import java.util.Objects;
import java.util.regex.Pattern;
import org.parley.client.api.InvalidInputException;

/**
 * Names one payment request across both sides and all their devices; it is also the UPI link's transaction
 * reference ({@code tr}), so it keeps to what UPI allows there: 8 to 35 letters and digits. New ones are 20
 * characters from 32 (100 random bits).
 */
public record PaymentRequestId(String value) {

  private static final Pattern FORMAT = Pattern.compile("[A-Za-z0-9]{8,35}");
  private static final char[] ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  public PaymentRequestId {
    Objects.requireNonNull(value, "value");
    if (!FORMAT.matcher(value).matches()) {
      String shown = value.length() > 40 ? value.substring(0, 40) + "…" : value;
      throw new IllegalArgumentException("\"" + shown + "\" is not a payment request id (8 to 35 letters and "
          + "digits)");
    }
  }

  public static PaymentRequestId random() {
    char[] id = new char[20];
    for (int i = 0; i < id.length; i++) {
      id[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
    }
    return new PaymentRequestId(new String(id));
  }

  public static PaymentRequestId parse(String text) throws InvalidInputException {
    try {
      return new PaymentRequestId(text.strip());
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
