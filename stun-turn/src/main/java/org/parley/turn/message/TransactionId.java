package org.parley.turn.message;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

/** The 96-bit transaction ID of a STUN message (RFC 8489 section 5). Immutable. */
public final class TransactionId {
  public static final int LENGTH = 12;
  private static final SecureRandom RANDOM = new SecureRandom();

  private final byte[] bytes;

  private TransactionId(byte[] bytes) {
    this.bytes = bytes;
  }

  public static TransactionId of(byte[] bytes) {
    if (bytes.length != LENGTH) {
      throw new IllegalArgumentException("transaction ID must be 12 bytes, got " + bytes.length);
    }
    return new TransactionId(bytes.clone());
  }

  static TransactionId of(byte[] buf, int offset) {
    return new TransactionId(Arrays.copyOfRange(buf, offset, offset + LENGTH));
  }

  public static TransactionId random() {
    byte[] b = new byte[LENGTH];
    RANDOM.nextBytes(b);
    return new TransactionId(b);
  }

  public byte[] toBytes() {
    return bytes.clone();
  }

  /** Byte {@code i} without copying. */
  public byte get(int i) {
    return bytes[i];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TransactionId && Arrays.equals(bytes, ((TransactionId) o).bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return HexFormat.of().formatHex(bytes);
  }
}
