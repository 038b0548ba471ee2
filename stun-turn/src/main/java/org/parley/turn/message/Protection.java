package org.parley.turn.message;

/**
 * What {@link StunEncoder} appends after the attributes: MESSAGE-INTEGRITY (HMAC-SHA1), MESSAGE-INTEGRITY-SHA256,
 * FINGERPRINT, in that order (RFC 8489 section 14), and the byte used for padding (RFC 8489 section 14 says any
 * value; 0x00 by default).
 */
public record Protection(byte[] key, boolean integritySha1, boolean integritySha256, boolean fingerprint,
    byte paddingByte) {

  public Protection {
    if ((integritySha1 || integritySha256) && key == null) {
      throw new IllegalArgumentException("message integrity needs a key");
    }
    key = key == null ? null : key.clone();
  }

  @Override
  public byte[] key() {
    return key == null ? null : key.clone();
  }

  public static Protection none() {
    return new Protection(null, false, false, false, (byte) 0);
  }

  public static Protection fingerprintOnly() {
    return new Protection(null, false, false, true, (byte) 0);
  }

  /** MESSAGE-INTEGRITY with this key. */
  public static Protection integrity(byte[] key) {
    return new Protection(key, true, false, false, (byte) 0);
  }

  public Protection withSha256(boolean on) {
    return new Protection(key, integritySha1, on, fingerprint, paddingByte);
  }

  public Protection withSha1(boolean on) {
    return new Protection(key, on, integritySha256, fingerprint, paddingByte);
  }

  public Protection withFingerprint(boolean on) {
    return new Protection(key, integritySha1, integritySha256, on, paddingByte);
  }

  public Protection withPadding(byte padding) {
    return new Protection(key, integritySha1, integritySha256, fingerprint, padding);
  }
}
