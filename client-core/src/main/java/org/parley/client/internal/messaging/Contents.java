package org.parley.client.internal.messaging;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.Arrays;
import org.parley.client.internal.proto.Content;

/**
 * Content ⇄ plaintext bytes. The plaintext is padded to a multiple of {@link #BLOCK} bytes (0x80 then zeros), so
 * ciphertext sizes do not give away exact message lengths.
 */
public final class Contents {

  static final int BLOCK = 160;

  private Contents() {}

  public static byte[] encode(Content content) {
    byte[] raw = content.toByteArray();
    int padded = (raw.length + 1 + BLOCK - 1) / BLOCK * BLOCK;
    byte[] out = Arrays.copyOf(raw, padded);
    out[raw.length] = (byte) 0x80;
    return out;
  }

  public static Content decode(byte[] plaintext) throws InvalidProtocolBufferException {
    int end = plaintext.length - 1;
    while (end >= 0 && plaintext[end] == 0) {
      end--;
    }
    if (end < 0 || plaintext[end] != (byte) 0x80) {
      throw new InvalidProtocolBufferException("plaintext padding is missing");
    }
    return Content.parseFrom(Arrays.copyOf(plaintext, end));
  }
}
