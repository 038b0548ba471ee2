package org.parley.client.internal.voice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.parley.client.api.voice.UnreadableAudioException;

/** The Ogg page layer and the Opus headers, byte by byte; and every way a file can be wrong. */
class OggOpusFormatTest {

  @Test
  void theChecksumIsRfc3533sCrc() {
    // CRC-32 with polynomial 0x04c11db7, init 0, not reflected: the catalogued CRC-32/CKSUM check value of
    // "123456789" (0x765e7680) before its final inversion.
    byte[] check = "123456789".getBytes(StandardCharsets.US_ASCII);
    assertThat(OggCrc.of(check, 0, check.length)).isEqualTo(0x765e7680 ^ 0xffffffff);
  }

  @Test
  void ourPagesFollowRfc7845() throws Exception {
    byte[] file = VoiceNoteEncoder.encode(TestAudio.tone(16_000, 1, 1000, 2.5, 0.3)).oggOpus();
    List<OggPage> pages = pages(file);

    OggPage head = pages.get(0);
    assertThat(head.flags()).isEqualTo(OggPage.BEGINNING_OF_STREAM);
    assertThat(head.granulePosition()).isZero();
    assertThat(head.lacing()).containsExactly(19); // the OpusHead alone on the first page
    assertThat(OpusHead.parse(head.body())).isEqualTo(new OpusHead(1, 312, 16_000, (short) 0));
    OggPage tags = pages.get(1);
    assertThat(tags.flags()).isZero();
    assertThat(tags.granulePosition()).isZero();
    assertThat(OpusTags.parse(tags.body()).vendor()).startsWith("Parley voice notes (libopus ");

    // 2.5 s + the encoder's delay = 126 packets of 20 ms: pages of one second (50 packets), then the rest.
    List<OggPage> audio = pages.subList(2, pages.size());
    assertThat(audio).extracting(p -> p.lacing().length).containsExactly(50, 50, 26);
    assertThat(audio).extracting(OggPage::granulePosition).containsExactly(48_000L, 96_000L, 312L + 120_000);
    assertThat(audio).extracting(OggPage::flags).containsExactly(0, 0, OggPage.END_OF_STREAM);
    assertThat(pages).extracting(OggPage::sequenceNumber).containsExactly(0, 1, 2, 3, 4);
    assertThat(pages).extracting(OggPage::serialNumber).containsOnly(head.serialNumber());

    OggOpusFile parsed = OggOpusFile.parse(file);
    assertThat(parsed.audioPackets()).hasSize(126);
    assertThat(parsed.duration().toMillis()).isEqualTo(2500);
  }

  @Test
  void headersRoundTrip() throws Exception {
    OpusHead head = new OpusHead(2, 3840, 44_100, (short) -256);
    assertThat(OpusHead.parse(head.toBytes())).isEqualTo(head);
    assertThat(head.outputGainFactor()).isCloseTo(Math.pow(10, -1 / 20.0), Offset.offset(1e-12));
    OpusTags tags = new OpusTags("vendor é", List.of("TITLE=Ça va", "ARTIST=x"));
    assertThat(OpusTags.parse(tags.toBytes())).isEqualTo(tags);
  }

  @Test
  void lacingSplitsLongPacketsAndTheReaderJoinsPacketsAcrossPages() throws Exception {
    OggPage page = OggPage.ofPackets(0, 0, 1, 0, List.of(new byte[255], new byte[256], new byte[510], new byte[3]));
    assertThat(page.lacing()).containsExactly(255, 0, 255, 1, 255, 255, 0, 3);
    assertThatThrownBy(() -> OggPage.ofPackets(0, 0, 1, 0, List.of(new byte[255 * 255])))
        .hasMessageContaining("256 segments");

    byte[] packet = new byte[300];
    Arrays.fill(packet, (byte) 7);
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.writeBytes(new OggPage(OggPage.BEGINNING_OF_STREAM, -1, 9, 0, new byte[] {(byte) 255},
        Arrays.copyOf(packet, 255)).toBytes());
    file.writeBytes(new OggPage(OggPage.CONTINUED | OggPage.END_OF_STREAM, 1234, 9, 1, new byte[] {45},
        Arrays.copyOfRange(packet, 255, 300)).toBytes());
    List<OggPacket> packets = OggStreamReader.readFirstStream(file.toByteArray());
    assertThat(packets).hasSize(1);
    assertThat(packets.get(0).data()).isEqualTo(packet);
    assertThat(packets.get(0).granulePosition()).isEqualTo(1234);
  }

  @Test
  void pagesOfAnotherMultiplexedStreamAreSkipped() throws Exception {
    byte[] ours = VoiceNoteEncoder.encode(TestAudio.tone(16_000, 1, 1000, 0.5, 0.3)).oggOpus();
    List<OggPage> pages = pages(ours);
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    file.writeBytes(pages.get(0).toBytes());
    file.writeBytes(OggPage.ofPackets(OggPage.BEGINNING_OF_STREAM, 0, 77, 0, List.of(bytes("\u0080theora"))).toBytes());
    for (OggPage page : pages.subList(1, pages.size())) {
      file.writeBytes(page.toBytes());
    }
    assertThat(OggOpusFile.parse(file.toByteArray()).duration().toMillis()).isEqualTo(500);
  }

  @Test
  void filesThatAreNotOggOpusOrAreDamagedGetClearErrors() throws Exception {
    byte[] good = VoiceNoteEncoder.encode(TestAudio.tone(16_000, 1, 1000, 2.5, 0.3)).oggOpus();
    List<OggPage> pages = pages(good);

    assertUnreadable(new byte[0], "The file is empty");
    assertUnreadable(bytes("just some text, not audio"), "Not an Ogg file (it does not start with \"OggS\")");
    assertUnreadable(bytes("RIFF\0\0\0\0WAVEfmt "), "it is a WAV file");
    assertUnreadable(bytes("ID3\u0004rest of an mp3"), "it looks like MP3");

    int secondPageStart = pages.get(0).toBytes().length;
    for (int cut : new int[] {10, secondPageStart + 20, good.length / 2, good.length - 1}) {
      assertUnreadable(Arrays.copyOf(good, cut), "The file is cut short: page ");
    }
    assertUnreadable(Arrays.copyOf(good, good.length - pages.get(pages.size() - 1).toBytes().length),
        "The file is cut short: the stream has no end-of-stream page");

    byte[] flipped = good.clone();
    flipped[good.length - 10] ^= 0x20;
    assertUnreadable(flipped, "the checksum of page 5 does not match");

    List<OggPage> withoutPage3 = new ArrayList<>(pages);
    withoutPage3.remove(3);
    assertUnreadable(join(withoutPage3), "page 3 of the stream is missing (found 4)");

    assertUnreadable(stream(bytes("\u0001vorbis\0\0\0\0\u0001"), bytes("\u0003vorbis"), new byte[] {1}),
        "Not an Ogg Opus file: the Ogg stream holds Vorbis");
    assertUnreadable(stream(bytes("Speex   1.2"), bytes("comments"), new byte[] {1}), "holds Speex");
    assertUnreadable(stream(bytes("\u007fFLAC\u0001"), new byte[] {1}), "holds FLAC");

    byte[] surround = new OpusHead(2, 312, 48_000, (short) 0).toBytes();
    surround[9] = 6;
    surround[18] = 1;
    assertUnreadable(stream(surround, tags(), opusPacket()), "Multichannel Opus (channel mapping family 1, 6 "
        + "channels) is not supported");
    byte[] noChannels = new OpusHead(1, 312, 48_000, (short) 0).toBytes();
    noChannels[9] = 0;
    assertUnreadable(stream(noChannels, tags(), opusPacket()), "0 channels");
    byte[] future = new OpusHead(1, 312, 48_000, (short) 0).toBytes();
    future[8] = 16;
    assertUnreadable(stream(future, tags(), opusPacket()), "Unsupported Ogg Opus version 16");
    assertUnreadable(stream(Arrays.copyOf(head(), 12), tags(), opusPacket()), "The OpusHead is too short");

    byte[] lyingTags = tags();
    lyingTags[8] = 100; // vendor length 100, far beyond the packet
    assertUnreadable(stream(head(), lyingTags, opusPacket()), "The OpusTags header is damaged");
    assertUnreadable(stream(head(), bytes("OpusTag"), opusPacket()), "the second packet is not OpusTags");
    assertUnreadable(stream(head()), "it has no OpusTags header");
    assertUnreadable(stream(head(), tags()), "The file holds no audio");
    assertUnreadable(streamWithFinalGranule(100, head(), tags(), opusPacket()),
        "its last granule position (100) is before the end of the pre-skip (312)");
    assertUnreadable(streamWithFinalGranule(5000, head(), tags(), opusPacket()),
        "its granule position says 5000 samples but its packets hold 960");
    assertUnreadable(stream(head(), tags(), new byte[] {(byte) 0x0b, 0}), "an Opus packet of 0 frames");
  }

  private static void assertUnreadable(byte[] file, String message) {
    assertThatThrownBy(() -> VoiceNoteDecoder.decode(file, 16_000))
        .isInstanceOf(UnreadableAudioException.class).hasMessageContaining(message);
  }

  private static List<OggPage> pages(byte[] file) throws UnreadableAudioException {
    OggPageReader reader = new OggPageReader(file);
    List<OggPage> pages = new ArrayList<>();
    while (reader.hasMore()) {
      pages.add(reader.next());
    }
    return pages;
  }

  private static byte[] join(List<OggPage> pages) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    pages.forEach(p -> out.writeBytes(p.toBytes()));
    return out.toByteArray();
  }

  /** One packet per page; the last page ends the stream, granule positions count 960 per audio packet. */
  private static byte[] stream(byte[]... packets) {
    return streamWithFinalGranule(-2, packets);
  }

  private static byte[] streamWithFinalGranule(long finalGranule, byte[]... packets) {
    List<OggPage> pages = new ArrayList<>();
    for (int i = 0; i < packets.length; i++) {
      boolean last = i == packets.length - 1;
      int flags = (i == 0 ? OggPage.BEGINNING_OF_STREAM : 0) | (last ? OggPage.END_OF_STREAM : 0);
      long granule = i < 2 ? 0 : (last && finalGranule != -2 ? finalGranule : 960L * (i - 1));
      pages.add(OggPage.ofPackets(flags, granule, 42, i, List.of(packets[i])));
    }
    return join(pages);
  }

  private static byte[] head() {
    return new OpusHead(1, 312, 48_000, (short) 0).toBytes();
  }

  private static byte[] tags() {
    return new OpusTags("test", List.of()).toBytes();
  }

  /** A 20 ms CELT-only frame's TOC (config 31, code 0) and a byte of payload. */
  private static byte[] opusPacket() {
    return new byte[] {(byte) 0xf8, 0};
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }
}
