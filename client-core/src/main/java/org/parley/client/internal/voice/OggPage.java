package org.parley.client.internal.voice;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;

/**
 * One Ogg page (RFC 3533 section 6): a 27-byte header, the lacing values (segment table) and the body.
 *
 * @param flags {@link #CONTINUED}, {@link #BEGINNING_OF_STREAM}, {@link #END_OF_STREAM}
 * @param granulePosition the codec's position after the last packet that ends on this page; -1 when none ends here
 * @param lacing the segment table: a packet is a run of 255s ended by a value below 255
 */
record OggPage(int flags, long granulePosition, int serialNumber, int sequenceNumber, byte[] lacing, byte[] body) {

  static final int CONTINUED = 0x01;
  static final int BEGINNING_OF_STREAM = 0x02;
  static final int END_OF_STREAM = 0x04;
  static final int HEADER_SIZE = 27;
  static final int MAX_SEGMENTS = 255;

  /** A page holding whole packets only (Parley never splits a packet across pages: they are all far below 64 kB). */
  static OggPage ofPackets(int flags, long granulePosition, int serialNumber, int sequenceNumber,
      List<byte[]> packets) {
    int segments = segmentsFor(packets);
    if (segments > MAX_SEGMENTS) {
      throw new IllegalArgumentException(segments + " segments do not fit on one page (at most 255)");
    }
    byte[] lacing = new byte[segments];
    ByteBuffer body = ByteBuffer.allocate(packets.stream().mapToInt(p -> p.length).sum());
    int s = 0;
    for (byte[] packet : packets) {
      int left = packet.length;
      while (left >= 255) {
        lacing[s++] = (byte) 255;
        left -= 255;
      }
      lacing[s++] = (byte) left; // 0 when the length is a multiple of 255: ends the packet
      body.put(packet);
    }
    return new OggPage(flags, granulePosition, serialNumber, sequenceNumber, lacing, body.array());
  }

  /** Lacing values the packets need on a page: one per 255 bytes, plus the terminating one. */
  static int segmentsFor(List<byte[]> packets) {
    return packets.stream().mapToInt(p -> p.length / 255 + 1).sum();
  }

  boolean has(int flag) {
    return (flags & flag) != 0;
  }

  /** The page as stored, with its checksum. */
  byte[] toBytes() {
    byte[] page = new byte[HEADER_SIZE + lacing.length + body.length];
    ByteBuffer b = ByteBuffer.wrap(page).order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 'O').put((byte) 'g').put((byte) 'g').put((byte) 'S');
    b.put((byte) 0); // stream structure version
    b.put((byte) flags);
    b.putLong(granulePosition);
    b.putInt(serialNumber);
    b.putInt(sequenceNumber);
    b.putInt(0); // checksum, filled in below
    b.put((byte) lacing.length);
    b.put(lacing);
    b.put(body);
    b.putInt(22, OggCrc.of(page, 0, page.length));
    return page;
  }
}
