package org.parley.client.internal.attachments;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.spec.SecretKeySpec;
import org.parley.client.api.InvalidInputException;

/**
 * The 64 random bytes that protect one attachment: an AES-256 key followed by an HMAC-SHA256 key. A fresh one per
 * attachment; it travels only inside the end-to-end encrypted message.
 */
public final class AttachmentKey {

  public static final int LENGTH = 64;
  private static final int AES_LENGTH = 32;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] bytes;

  private AttachmentKey(byte[] bytes) {
    this.bytes = bytes;
  }

  /** A new random key. */
  public static AttachmentKey random() {
    byte[] bytes = new byte[LENGTH];
    RANDOM.nextBytes(bytes);
    return new AttachmentKey(bytes);
  }

  /** The key a message carries; refused unless it is exactly 64 bytes. */
  public static AttachmentKey of(byte[] bytes) throws InvalidInputException {
    if (bytes == null || bytes.length != LENGTH) {
      throw new InvalidInputException("An attachment key must be " + LENGTH + " bytes, not "
          + (bytes == null ? "missing" : bytes.length));
    }
    return new AttachmentKey(bytes.clone());
  }

  /** A copy of the 64 bytes, to put into a message. */
  public byte[] bytes() {
    return bytes.clone();
  }

  SecretKeySpec aesKey() {
    return new SecretKeySpec(bytes, 0, AES_LENGTH, "AES");
  }

  SecretKeySpec macKey() {
    return new SecretKeySpec(bytes, AES_LENGTH, LENGTH - AES_LENGTH, "HmacSHA256");
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof AttachmentKey && MessageDigest.isEqual(bytes, ((AttachmentKey) other).bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  /** Never prints the key (it would end up in logs). */
  @Override
  public String toString() {
    return "AttachmentKey[64 bytes]";
  }
}
