package org.parley.turn.message;

import java.util.Arrays;

/**
 * A ChannelData message (RFC 8656 section 12.4): channel number (0x4000-0x4FFF; 0x4000-0x7FFF accepted as RFC 5766
 * allowed, see {@code ChannelNumber}), a 16-bit length of the data,
 * then the data. Over TCP the message is padded to a multiple of 4 bytes (section 12.5); over UDP padding is
 * optional and the receiver uses the length field.
 */
public final class ChannelData {
  public static final int HEADER_LENGTH = 4;
  private final int channel;
  private final byte[] data;

  public ChannelData(int channel, byte[] data) {
    if (channel < 0x4000 || channel > 0x7FFF) {
      throw new IllegalArgumentException("channel number must be 0x4000-0x7FFF: " + channel);
    }
    if (data.length > 0xFFFF) {
      throw new IllegalArgumentException("ChannelData carries at most 65535 bytes");
    }
    this.channel = channel;
    this.data = data.clone();
  }

  public int channel() {
    return channel;
  }

  public byte[] data() {
    return data.clone();
  }

  /** True if the first two bits are 0b01, the ChannelData range (RFC 8656 section 12.4). */
  public static boolean looksLikeChannelData(byte[] buf, int off, int len) {
    return len >= HEADER_LENGTH && (buf[off] & 0xC0) == 0x40;
  }

  public byte[] encode(boolean pad) {
    int total = HEADER_LENGTH + (pad ? (data.length + 3) & ~3 : data.length);
    byte[] out = new byte[total];
    out[0] = (byte) (channel >> 8);
    out[1] = (byte) channel;
    out[2] = (byte) (data.length >> 8);
    out[3] = (byte) data.length;
    System.arraycopy(data, 0, out, HEADER_LENGTH, data.length);
    return out;
  }

  /** Decodes one message; trailing bytes up to the next multiple of 4 are taken as padding. */
  public static ChannelData decode(byte[] buf, int off, int len) throws StunParseException {
    if (!looksLikeChannelData(buf, off, len)) {
      throw new StunParseException("not a ChannelData message");
    }
    int channel = ((buf[off] & 0xFF) << 8) | (buf[off + 1] & 0xFF);
    int length = ((buf[off + 2] & 0xFF) << 8) | (buf[off + 3] & 0xFF);
    if (HEADER_LENGTH + length > len || len > HEADER_LENGTH + ((length + 3) & ~3)) {
      throw new StunParseException("ChannelData length " + length + " does not match " + len + " bytes");
    }
    return new ChannelData(channel, Arrays.copyOfRange(buf, off + HEADER_LENGTH, off + HEADER_LENGTH + length));
  }
}
