package org.parley.client.api.payments;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.regex.Pattern;
import org.parley.client.api.InvalidInputException;

/**
 * An amount of Indian rupees for a UPI payment: more than zero, whole paise (at most 2 decimals), and at most
 * {@link #MAX} — NPCI's per-transaction limit for person-to-person UPI payments. (Higher limits exist only for some
 * merchant categories, which a payment between people in a chat never is; a bank's lower limit is enforced by the
 * payer's UPI app.) Held with exactly 2 decimals.
 */
public record InrAmount(BigDecimal value) {

  /** ₹1,00,000.00. */
  public static final BigDecimal MAX = new BigDecimal("100000.00");
  private static final Pattern PLAIN = Pattern.compile("\\d+(\\.\\d+)?");

  public InrAmount {
    Objects.requireNonNull(value, "value");
    String problem = problem(value);
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
    value = value.setScale(2, RoundingMode.UNNECESSARY);
  }

  public static InrAmount of(BigDecimal value) throws InvalidInputException {
    try {
      return new InrAmount(value);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage(), e);
    }
  }

  /** An amount as typed: digits, optionally a dot and paise ({@code 250}, {@code 250.5}, {@code 250.50}). */
  public static InrAmount parse(String text) throws InvalidInputException {
    String t = text.strip();
    if (t.length() > 20 || !PLAIN.matcher(t).matches()) {
      String shown = t.length() > 20 ? t.substring(0, 20) + "…" : t;
      throw new InvalidInputException("\"" + shown + "\" is not an amount in rupees: write digits with a dot "
          + "before the paise and no separators, e.g. 1500.50");
    }
    return of(new BigDecimal(t));
  }

  /** As the UPI link's {@code am} parameter: {@code 250.00}. */
  public String toUpiString() {
    return value.toPlainString();
  }

  /** For people, with Indian digit grouping: {@code ₹1,00,000.00}. */
  public String formatted() {
    String plain = value.toPlainString();
    String rupees = plain.substring(0, plain.indexOf('.'));
    StringBuilder grouped = new StringBuilder();
    int n = rupees.length();
    for (int i = 0; i < n; i++) {
      int left = n - i;
      grouped.append(rupees.charAt(i));
      if (left > 1 && (left == 4 || (left > 4 && (left - 4) % 2 == 0))) {
        grouped.append(',');
      }
    }
    return "₹" + grouped + plain.substring(plain.indexOf('.'));
  }

  @Override
  public String toString() {
    return formatted();
  }

  private static String problem(BigDecimal value) {
    if (value.signum() <= 0) {
      return "The amount must be more than ₹0, not " + value.toPlainString();
    }
    if (value.stripTrailingZeros().scale() > 2) {
      return "An amount in rupees has at most 2 decimals (paise), not " + value.toPlainString();
    }
    if (value.compareTo(MAX) > 0) {
      return "UPI allows at most ₹1,00,000.00 in one payment; " + value.toPlainString() + " is more";
    }
    return null;
  }
}
