package org.parley.client.internal.voice;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.parley.client.api.voice.UnreadableAudioException;

/**
 * Puts the packets of a file's first Ogg logical stream back together (RFC 3533): pages of other, multiplexed
 * streams are skipped, a chained stream after the first one's end is ignored, and a missing page, a packet left
 * open or a stream without its end-of-stream page are errors.
 */
final class OggStreamReader {

  private OggStreamReader() {}

  static List<OggPacket> readFirstStream(byte[] file) throws UnreadableAudioException {
    OggPageReader pages = new OggPageReader(file);
    OggPage first = pages.next();
    if (!first.has(OggPage.BEGINNING_OF_STREAM)) {
      throw new UnreadableAudioException("The file is damaged: its first page does not begin a stream");
    }
    int serial = first.serialNumber();
    List<OggPacket> packets = new ArrayList<>();
    ByteArrayOutputStream open = new ByteArrayOutputStream();
    boolean packetOpen = false;
    int expectedSequence = first.sequenceNumber();
    OggPage page = first;
    while (true) {
      if (page.serialNumber() == serial) {
        if (page.sequenceNumber() != expectedSequence) {
          throw new UnreadableAudioException("The file is damaged: page " + expectedSequence
              + " of the stream is missing (found " + page.sequenceNumber() + ")");
        }
        expectedSequence++;
        if (page.has(OggPage.CONTINUED) != packetOpen) {
          throw new UnreadableAudioException("The file is damaged: page " + page.sequenceNumber()
              + (packetOpen ? " does not continue the packet the previous page left open"
                  : " continues a packet that no page began"));
        }
        int lastCompleted = -1;
        int offset = 0;
        for (byte value : page.lacing()) {
          int length = value & 0xff;
          open.write(page.body(), offset, length);
          offset += length;
          packetOpen = length == 255;
          if (!packetOpen) {
            packets.add(new OggPacket(open.toByteArray(), -1));
            lastCompleted = packets.size() - 1;
            open.reset();
          }
        }
        if (lastCompleted >= 0) {
          packets.set(lastCompleted, new OggPacket(packets.get(lastCompleted).data(), page.granulePosition()));
        }
        if (page.has(OggPage.END_OF_STREAM)) {
          if (packetOpen) {
            throw new UnreadableAudioException("The file is damaged: the stream ends inside a packet");
          }
          return packets;
        }
      }
      if (!pages.hasMore()) {
        throw new UnreadableAudioException("The file is cut short: the stream has no end-of-stream page");
      }
      page = pages.next();
    }
  }
}
