package org.parley.client.internal.account;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.text.Normalizer;
import java.util.HexFormat;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import org.parley.client.api.InvalidInputException;

/**
 * The registration lock token: what the server checks instead of the PIN, which never leaves the device. PBKDF2
 * with the number as salt makes the token differ per number and costs a guesser ~0.1 s a try on their own machine;
 * against the server, tries are limited per number.
 */
public final class RegistrationLockTokens {

  static final int MIN_PIN_LENGTH = 4;
  static final int MAX_PIN_LENGTH = 64;
  private static final int ITERATIONS = 100_000;

  private RegistrationLockTokens() {}

  /** Checks a PIN as people type it: 4 to 64 characters, not only spaces. */
  public static String checkPin(String pin) throws InvalidInputException {
    String normalized = pin == null ? "" : Normalizer.normalize(pin.strip(), Normalizer.Form.NFKC);
    if (normalized.length() < MIN_PIN_LENGTH || normalized.length() > MAX_PIN_LENGTH) {
      throw new InvalidInputException("A PIN has " + MIN_PIN_LENGTH + " to " + MAX_PIN_LENGTH + " characters");
    }
    return normalized;
  }

  /** 64 hex digits derived from {@code pin} for {@code number}. */
  public static String derive(String pin, String number) throws InvalidInputException {
    String checked = checkPin(pin);
    PBEKeySpec spec = new PBEKeySpec(checked.toCharArray(),
        ("parley registration lock " + number).getBytes(StandardCharsets.UTF_8), ITERATIONS, 256);
    try {
      return HexFormat.of().formatHex(
          SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded());
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every Java 17 runtime", e);
    } finally {
      spec.clearPassword();
    }
  }
}
