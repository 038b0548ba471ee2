package org.parley.turn.message;

import java.util.Locale;

/**
 * The 14-bit STUN message type: a 12-bit method interleaved with the 2 class bits (RFC 8489 section 5, figure 3):
 * {@code M11..M7 C1 M6..M4 C0 M3..M0}.
 */
public record MessageType(int method, MessageClass messageClass) {
  public MessageType {
    if (method < 0 || method > 0xFFF) {
      throw new IllegalArgumentException("method out of range: " + method);
    }
    if (messageClass == null) {
      throw new IllegalArgumentException("messageClass is null");
    }
  }

  public static MessageType request(int method) {
    return new MessageType(method, MessageClass.REQUEST);
  }

  public static MessageType indication(int method) {
    return new MessageType(method, MessageClass.INDICATION);
  }

  public static MessageType success(int method) {
    return new MessageType(method, MessageClass.SUCCESS_RESPONSE);
  }

  public static MessageType error(int method) {
    return new MessageType(method, MessageClass.ERROR_RESPONSE);
  }

  /** The 16-bit field value (the two most significant bits are zero). */
  public int toBits() {
    int m = method;
    int c = messageClass.bits();
    return (m & 0x000F) | ((c & 0b01) << 4) | ((m & 0x0070) << 1) | ((c & 0b10) << 7) | ((m & 0x0F80) << 2);
  }

  public static MessageType fromBits(int bits) {
    int method = (bits & 0x000F) | ((bits & 0x00E0) >> 1) | ((bits & 0x3E00) >> 2);
    int c = ((bits & 0x0010) >> 4) | ((bits & 0x0100) >> 7);
    return new MessageType(method, MessageClass.ofBits(c));
  }

  @Override
  public String toString() {
    return Method.name(method) + " " + messageClass.name().toLowerCase(Locale.ROOT);
  }
}
