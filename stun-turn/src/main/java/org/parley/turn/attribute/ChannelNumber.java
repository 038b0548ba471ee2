package org.parley.turn.attribute;

import org.parley.turn.message.StunParseException;
import org.parley.turn.message.TransactionId;

/**
 * CHANNEL-NUMBER (RFC 8656 section 18.1): a 16-bit channel number followed by 16 RFFU bits. Valid channels are
 * 0x4000-0x4FFF (section 12); range checks belong to the ChannelBind handler, which answers 400.
 */
public record ChannelNumber(int number) implements StunAttribute {
  public static final int MIN = 0x4000;
  public static final int MAX = 0x4FFF;

  public ChannelNumber {
    if (number < 0 || number > 0xFFFF) {
      throw new IllegalArgumentException("channel number is 16 bits: " + number);
    }
  }

  public boolean isValid() {
    return number >= MIN && number <= MAX;
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
