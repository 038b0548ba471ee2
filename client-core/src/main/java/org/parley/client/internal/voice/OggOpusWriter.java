package org.parley.client.internal.voice;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an Ogg Opus stream (RFC 7845) packet by packet: the OpusHead alone on the first page (beginning of
 * stream, granule 0), the OpusTags on the second (granule 0), then audio pages of at most one second each (as
 * opusenc does: short enough to seek in, long enough that page headers cost little), and the last page marked end of
 * stream with a granule position that trims the padding the encoder added.
 */
final class OggOpusWriter {

  /** Audio per page, in samples at 48 kHz. */
  static final int MAX_SAMPLES_PER_PAGE = 48_000;

  private final OutputStream out;
  private final int serialNumber;
  private final int preSkip;
  private final List<byte[]> pending = new ArrayList<>();
  private int pendingSamples;
  private int sequenceNumber;
  /**
   * Granule position after the packets already written: every sample they decode to, the pre-skip included (RFC
   * 7845 section 4); the playback position is this minus the pre-skip.
   */
  private long writtenGranule;
  private boolean finished;

  OggOpusWriter(OutputStream out, OpusHead head, OpusTags tags, int serialNumber) throws IOException {
    this.out = out;
    this.serialNumber = serialNumber;
    this.preSkip = head.preSkip();
    writePage(OggPage.BEGINNING_OF_STREAM, 0, List.of(head.toBytes()));
    writePage(0, 0, List.of(tags.toBytes()));
  }

  /** Adds one Opus packet holding {@code samplesAt48k} samples per channel. */
  void writePacket(byte[] packet, int samplesAt48k) throws IOException {
    if (finished) {
      throw new IllegalStateException("the stream is finished");
    }
    if (packet.length == 0 || samplesAt48k <= 0) {
      throw new IllegalArgumentException("an Opus packet holds at least one byte and one sample");
    }
    List<byte[]> withIt = new ArrayList<>(pending);
    withIt.add(packet);
    boolean full = pendingSamples + samplesAt48k > MAX_SAMPLES_PER_PAGE
        || OggPage.segmentsFor(withIt) > OggPage.MAX_SEGMENTS;
    if (full && !pending.isEmpty()) {
      flush(0, writtenGranule + pendingSamples);
    }
    pending.add(packet);
    pendingSamples += samplesAt48k;
  }

  /**
   * Writes the last page, marked end of stream.
   *
   * @param samplesAt48k how many samples the stream really holds (without pre-skip): the decoder drops what the
   *     packets hold beyond that (RFC 7845 section 4.4)
   */
  void finish(long samplesAt48k) throws IOException {
    if (finished) {
      throw new IllegalStateException("the stream is finished");
    }
    if (pending.isEmpty()) {
      throw new IllegalStateException("an Ogg Opus stream needs at least one audio packet");
    }
    long finalGranule = preSkip + samplesAt48k;
    if (finalGranule > writtenGranule + pendingSamples || finalGranule < writtenGranule) {
      // End trimming may only cut into the last page's audio.
      throw new IllegalArgumentException(samplesAt48k + " samples do not end on the last page (it covers "
          + Math.max(0, writtenGranule - preSkip) + "–" + (writtenGranule + pendingSamples - preSkip) + ")");
    }
    flush(OggPage.END_OF_STREAM, finalGranule);
    finished = true;
    out.flush();
  }

  private void flush(int flags, long granule) throws IOException {
    writePage(flags, granule, pending);
    writtenGranule += pendingSamples;
    pending.clear();
    pendingSamples = 0;
  }

  private void writePage(int flags, long granule, List<byte[]> packets) throws IOException {
    out.write(OggPage.ofPackets(flags, granule, serialNumber, sequenceNumber++, packets).toBytes());
  }
}
