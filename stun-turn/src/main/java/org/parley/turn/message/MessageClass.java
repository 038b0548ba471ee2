package org.parley.turn.message;

/** The two class bits C1 C0 of the STUN message type (RFC 8489 section 5). */
public enum MessageClass {
  REQUEST(0b00),
  INDICATION(0b01),
  SUCCESS_RESPONSE(0b10),
  ERROR_RESPONSE(0b11);

  private final int bits;

  MessageClass(int bits) {
    this.bits = bits;
  }

  /** The value of C1 C0 as a two-bit number. */
  public int bits() {
    return bits;
  }

  public static MessageClass ofBits(int bits) {
    return values()[bits & 0b11];
  }
}
