package org.parley.turn.message;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.zip.CRC32;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** The primitives of RFC 8489 sections 14.5-14.7: HMAC-SHA1, HMAC-SHA256, and the CRC-32 fingerprint. */
public final class Crypto {
  private Crypto() {}

  public static byte[] hmacSha1(byte[] key, byte[] data, int off, int len) {
    return hmac("HmacSHA1", key, data, off, len);
  }

  public static byte[] hmacSha256(byte[] key, byte[] data, int off, int len) {
    return hmac("HmacSHA256", key, data, off, len);
  }

  private static byte[] hmac(String algorithm, byte[] key, byte[] data, int off, int len) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      // An empty key is legal for HMAC but SecretKeySpec refuses it; a one-zero-byte key gives the same HMAC.
      mac.init(new SecretKeySpec(key.length == 0 ? new byte[1] : key, algorithm));
      mac.update(data, off, len);
      return mac.doFinal();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(algorithm + " unavailable", e);
    }
  }

  /** CRC-32 of the bytes XOR 0x5354554e (RFC 8489 section 14.7). */
  public static int fingerprint(byte[] data, int off, int len) {
    CRC32 crc = new CRC32();
    crc.update(data, off, len);
    return (int) crc.getValue() ^ 0x5354554e;
  }

  public static byte[] md5(byte[] data) {
    try {
      return MessageDigest.getInstance("MD5").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("MD5 unavailable", e);
    }
  }

  /** Compares MACs in time independent of where they differ. */
  public static boolean constantTimeEquals(byte[] a, byte[] b) {
    return MessageDigest.isEqual(a, b);
  }
}
