package org.parley.client.api.payments;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.parley.client.api.InvalidInputException;

/**
 * UPI deep links ({@code upi://pay?...}, NPCI's linking specification): the payee's UPI ID ({@code pa}), name
 * ({@code pn}), amount ({@code am}), currency ({@code cu}, always INR), note ({@code tn}, when there is one) and
 * transaction reference ({@code tr}, the request id). Values are percent-encoded as UTF-8 per RFC 3986: everything
 * but letters, digits, {@code -._~} and {@code @} (allowed in a query, and how UPI IDs appear in links) becomes
 * {@code %XX}; a space is {@code %20}, never {@code +}, which UPI apps would show as a plus.
 */
public final class UpiLink {

  private static final String PREFIX = "upi://pay?";

  private UpiLink() {}

  static String of(PaymentRequest request) {
    StringBuilder link = new StringBuilder(PREFIX);
    link.append("pa=").append(encode(request.payee().value()));
    link.append("&pn=").append(encode(request.payeeName()));
    link.append("&am=").append(request.amount().toUpiString());
    link.append("&cu=INR");
    request.note().ifPresent(note -> link.append("&tn=").append(encode(note)));
    link.append("&tr=").append(request.id().value());
    return link.toString();
  }

  /** Reads a Parley payment request back from its link (unknown parameters are ignored). */
  public static PaymentRequest parse(String link) throws InvalidInputException {
    if (!link.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
      throw new InvalidInputException("Not a UPI payment link (it does not start with upi://pay?)");
    }
    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : link.substring(PREFIX.length()).split("&", -1)) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new InvalidInputException("The UPI link has a malformed parameter: \"" + pair + "\"");
      }
      String name = pair.substring(0, eq);
      if (parameters.put(name, decode(pair.substring(eq + 1))) != null) {
        throw new InvalidInputException("The UPI link has the parameter " + name + " twice");
      }
    }
    for (String required : new String[] {"pa", "pn", "am", "cu", "tr"}) {
      if (!parameters.containsKey(required)) {
        throw new InvalidInputException("The UPI link has no " + required + " parameter");
      }
    }
    if (!parameters.get("cu").equals("INR")) {
      throw new InvalidInputException("UPI payments are in INR, not " + parameters.get("cu"));
    }
    return PaymentRequest.of(PaymentRequestId.parse(parameters.get("tr")), Vpa.parse(parameters.get("pa")),
        parameters.get("pn"), InrAmount.parse(parameters.get("am")), Optional.ofNullable(parameters.get("tn")));
  }

  /** Percent-encodes a parameter value (UTF-8; see the class comment for what stays as it is). */
  public static String encode(String value) {
    StringBuilder out = new StringBuilder(value.length() * 3 / 2);
    try {
      ByteBuffer utf8 = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(value));
      while (utf8.hasRemaining()) {
        int b = utf8.get() & 0xff;
        if ((b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9') || b == '-' || b == '.'
            || b == '_' || b == '~' || b == '@') {
          out.append((char) b);
        } else {
          out.append('%').append(Character.toUpperCase(Character.forDigit(b >> 4, 16)))
              .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
        }
      }
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("not valid text (a broken UTF-16 surrogate)", e);
    }
    return out.toString();
  }

  /** Undoes {@link #encode}: {@code %XX} as UTF-8 bytes; a {@code +} stays a plus. */
  public static String decode(String encoded) throws InvalidInputException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '%') {
        int high = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
        int low = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 2), 16) : -1;
        if (high < 0 || low < 0) {
          throw new InvalidInputException("The UPI link has a broken %-escape at position " + (i + 1));
        }
        bytes.write(high << 4 | low);
        i += 2;
      } else if (c > 0x7e || c < 0x21) {
        throw new InvalidInputException("The UPI link has a character that should be %-encoded at position "
            + (i + 1));
      } else {
        bytes.write(c);
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
    } catch (CharacterCodingException e) {
      throw new InvalidInputException("The UPI link has %-escapes that are not UTF-8 text", e);
    }
  }
}
