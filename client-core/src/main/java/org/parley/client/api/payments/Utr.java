package org.parley.client.api.payments;

import java.util.Objects;
import org.parley.client.api.InvalidInputException;

/**
 * A UPI transaction reference (UTR / RRN): the 12 digits a UPI app shows for a completed payment. The payer gives
 * it when marking a request paid, so the payee can find the payment in their bank statement.
 */
public record Utr(String value) {

  public Utr {
    Objects.requireNonNull(value, "value");
    if (value.length() != 12 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
      String shown = value.length() > 30 ? value.substring(0, 30) + "…" : value;
      throw new IllegalArgumentException("A UPI transaction reference (UTR) is 12 digits, not \"" + shown + "\"");
    }
  }

  /** As typed; spaces people put between groups of digits are ignored. */
  public static Utr parse(String text) throws InvalidInputException {
    try {
      return new Utr(text.replace(" ", ""));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
