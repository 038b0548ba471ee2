package org.parley.turn.attribute;

import org.parley.turn.message.StunParseException;
import org.parley.turn.message.TransactionId;

/**
 * CHANNEL-NUMBER (RFC 8656 section 18.1): a 16-bit channel number followed by 16 RFFU bits. RFC 8656 section 12
 * narrows channels to 0x4000-0x4FFF, but RFC 5766 allowed 0x4000-0x7FFF and deployed clients (coturn's
 * turnutils_uclient among them) still use the upper part, so the server accepts the RFC 5766 range
 * ({@link #isValid()}); {@link #isRfc8656()} tells the narrow one. Range checks belong to the ChannelBind handler,
 * which answers 400.
 */
public record ChannelNumber(int number) implements StunAttribute {
  public static final int MIN = 0x4000;
  public static final int MAX = 0x7FFF;
  public static final int MAX_RFC8656 = 0x4FFF;

  public ChannelNumber {
    if (number < 0 || number > 0xFFFF) {
      throw new IllegalArgumentException("channel number is 16 bits: " + number);
    }
  }

  /** 0x4000-0x7FFF, the range of RFC 5766 that RFC 8656 clients stay inside too. */
  public boolean isValid() {
    return number >= MIN && number <= MAX;
  }

  /** 0x4000-0x4FFF. */
  public boolean isRfc8656() {
    return number >= MIN && number <= MAX_RFC8656;
  }

  @Override
  public int type() {
    return AttributeType.CHANNEL_NUMBER;
  }

  @Override
  public byte[] encodeValue(TransactionId transactionId) {
    return new byte[] {(byte) (number >> 8), (byte) number, 0, 0};
  }

  static ChannelNumber decode(byte[] buf, int off, int len) throws StunParseException {
    Bytes.requireLength(len, 4, "CHANNEL-NUMBER");
    return new ChannelNumber(Bytes.u16(buf, off));
  }
}
