package org.parley.desktop.vm;

import java.util.List;

/** A country for the phone number picker: its name, ISO code and calling code. */
public record Country(String name, String iso, String callingCode) {

  /** A short list; the number field also accepts a full international number starting with '+'. */
  public static final List<Country> ALL = List.of(
      new Country("United States", "US", "1"),
      new Country("Canada", "CA", "1"),
      new Country("United Kingdom", "GB", "44"),
      new Country("Germany", "DE", "49"),
      new Country("France", "FR", "33"),
      new Country("Spain", "ES", "34"),
      new Country("Italy", "IT", "39"),
      new Country("Netherlands", "NL", "31"),
      new Country("Switzerland", "CH", "41"),
      new Country("Sweden", "SE", "46"),
      new Country("Poland", "PL", "48"),
      new Country("Brazil", "BR", "55"),
      new Country("Mexico", "MX", "52"),
      new Country("India", "IN", "91"),
      new Country("Japan", "JP", "81"),
      new Country("Australia", "AU", "61"),
      new Country("South Africa", "ZA", "27"),
      new Country("Nigeria", "NG", "234"),
      new Country("Kenya", "KE", "254"));

  public String label() {
    return name + " (+" + callingCode + ")";
  }

  /**
   * The E.164 number for what the person typed: digits with spaces, dashes, dots or brackets, a leading national
   * 0 dropped; a number typed with '+' is taken as international.
   *
   * @throws IllegalArgumentException with a message for people when it cannot be a phone number
   */
  public String toE164(String typed) {
    String t = typed == null ? "" : typed.strip();
    if (t.isEmpty()) {
      throw new IllegalArgumentException("Enter your phone number");
    }
    boolean international = t.startsWith("+");
    String digits = t.replaceAll("[\\s().\\-]", "");
    if (international) {
      digits = digits.substring(1);
    }
    if (!digits.matches("[0-9]+")) {
      throw new IllegalArgumentException("A phone number has only digits (and spaces, dashes or brackets)");
    }
    String full = international ? digits : callingCode + digits.replaceFirst("^0", "");
    if (full.length() < 8 || full.length() > 15) {
      throw new IllegalArgumentException("+" + full + " is not a valid phone number: it needs 8 to 15 digits");
    }
    return "+" + full;
  }
}
