package org.parley.client.internal.identity;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.parley.client.api.SafetyNumber;
import org.signal.libsignal.protocol.IdentityKey;
import org.signal.libsignal.protocol.fingerprint.Fingerprint;
import org.signal.libsignal.protocol.fingerprint.NumericFingerprintGenerator;

/**
 * libsignal's numeric fingerprint over both phone numbers and identity keys (version 1, 5200 iterations): the same
 * 60 digits on both sides when the keys are the ones the parties hold.
 */
final class SafetyNumbers {

  private static final int ITERATIONS = 5200;
  private static final int VERSION = 1;

  private SafetyNumbers() {}

  static SafetyNumber of(String ownNumber, IdentityKey ownKey, String theirNumber, IdentityKey theirKey,
      Optional<Long> changedAt) {
    Fingerprint fingerprint = new NumericFingerprintGenerator(ITERATIONS).createFor(VERSION,
        ownNumber.getBytes(StandardCharsets.UTF_8), ownKey, theirNumber.getBytes(StandardCharsets.UTF_8), theirKey);
    String digits = fingerprint.getDisplayableFingerprint().getDisplayText();
    StringBuilder grouped = new StringBuilder();
    for (int i = 0; i < digits.length(); i += 5) {
      if (i > 0) {
        grouped.append(' ');
      }
      grouped.append(digits, i, Math.min(digits.length(), i + 5));
    }
    return new SafetyNumber(theirNumber, grouped.toString(), fingerprint.getScannableFingerprint().getSerialized(),
        changedAt);
  }
}
