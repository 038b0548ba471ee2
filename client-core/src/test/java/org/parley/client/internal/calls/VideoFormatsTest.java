package org.parley.client.internal.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.api.calls.VideoSource;

/** The test pattern's marker, the y4m reader and writer, and the SDP reading video calls rely on. */
class VideoFormatsTest {

  @TempDir
  Path dir;

  /** A packed I420 picture of the pattern. */
  static byte[] draw(int w, int h, int id, int counter) {
    Y4m.Header header = new Y4m.Header(w, h, 30, 1);
    byte[] packed = new byte[header.frameBytes()];
    ByteBuffer all = ByteBuffer.wrap(packed);
    int ySize = w * h;
    int cSize = header.chromaWidth() * header.chromaHeight();
    new TestPattern(w, h, id).draw(counter, all.slice(0, ySize), w, all.slice(ySize, cSize), header.chromaWidth(),
        all.slice(ySize + cSize, cSize), header.chromaWidth());
    return packed;
  }

  @Test
  void thePatternsMarkerAndBarsReadBackAtEverySize() {
    for (int[] size : new int[][] {{64, 48}, {320, 240}, {640, 480}, {1280, 720}, {642, 362}}) {
      int w = size[0];
      int h = size[1];
      for (int counter : new int[] {0, 1, 255, 256, 12345, 65535, 65536 + 7}) {
        byte[] p = draw(w, h, 42, counter);
        assertThat(TestPattern.read(w, h, ByteBuffer.wrap(p), w)).as("%dx%d #%d", w, h, counter)
            .contains(new TestPattern.Marker(42, counter & 0xffff));
        int cw = (w + 1) / 2;
        int cs = cw * ((h + 1) / 2);
        assertThat(TestPattern.barsMatch(w, h, ByteBuffer.wrap(p, w * h, cs).slice(), cw,
            ByteBuffer.wrap(p, w * h + cs, cs).slice(), cw, 4)).isTrue();
        // Swapped chroma planes are not the bars.
        assertThat(TestPattern.barsMatch(w, h, ByteBuffer.wrap(p, w * h + cs, cs).slice(), cw,
            ByteBuffer.wrap(p, w * h, cs).slice(), cw, 30)).isFalse();
      }
    }
  }

  @Test
  void aPictureThatIsNotThePatternHasNoMarker() {
    int w = 320;
    int h = 240;
    byte[] grey = new byte[w * h];
    Arrays.fill(grey, (byte) 128);
    assertThat(TestPattern.read(w, h, ByteBuffer.wrap(grey), w)).isEmpty();
    byte[] p = draw(w, h, 3, 1000);
    // Flip one counter cell: the check byte no longer matches.
    int row = TestPattern.bandEnd(h) + 5;
    for (int r = row; r < TestPattern.counterEnd(h); r++) {
      for (int x = 15 * w / 16; x < w; x++) {
        p[r * w + x] = (byte) (255 - (p[r * w + x] & 0xff));
      }
    }
    assertThat(TestPattern.read(w, h, ByteBuffer.wrap(p), w)).isEmpty();
  }

  @Test
  void y4mRoundTripsFramesAndTheHeader() throws IOException {
    Path file = dir.resolve("clip.y4m");
    Y4m.Header header = new Y4m.Header(64, 48, 15, 1);
    try (Y4m.Writer writer = new Y4m.Writer(file, header)) {
      for (int i = 0; i < 3; i++) {
        writer.write(draw(64, 48, 9, i));
      }
      assertThat(writer.frames()).isEqualTo(3);
      assertThatThrownBy(() -> writer.write(new byte[10])).isInstanceOf(IllegalArgumentException.class);
    }
    assertThat(new String(Files.readAllBytes(file), 0, 45, StandardCharsets.US_ASCII))
        .isEqualTo("YUV4MPEG2 W64 H48 F15:1 Ip A1:1 C420jpeg\nFRAM");
    try (Y4m.Reader reader = new Y4m.Reader(file)) {
      assertThat(reader.header()).isEqualTo(header);
      for (int i = 0; i < 3; i++) {
        byte[] frame = reader.next();
        assertThat(frame).isEqualTo(draw(64, 48, 9, i));
      }
      assertThat(reader.next()).isNull();
      reader.rewind();
      assertThat(TestPattern.read(64, 48, ByteBuffer.wrap(reader.next()), 64)).contains(new TestPattern.Marker(9, 0));
    }
  }

  @Test
  void y4mFilesOfOtherToolsAreReadAndBadOnesRefusedClearly() throws IOException {
    // ffmpeg writes frame parameters and an X comment; C420mpeg2 and no C tag are 4:2:0 too.
    Path ffmpeg = dir.resolve("ffmpeg.y4m");
    byte[] frame = new byte[4 * 2 + 2 * 2 * 1];
    Files.write(ffmpeg, concat("YUV4MPEG2 W4 H2 F30000:1001 It A0:0 C420mpeg2 XYSCSS=420MPEG2\nFRAME Ixyz\n",
        frame));
    try (Y4m.Reader reader = new Y4m.Reader(ffmpeg)) {
      assertThat(reader.header()).isEqualTo(new Y4m.Header(4, 2, 30000, 1001));
      assertThat(reader.next()).hasSize(12);
      assertThat(reader.next()).isNull();
    }
    assertRefused("RIFF....WAVE\n", "Not a y4m file");
    assertRefused("YUV4MPEG2 W64 H48 F30:1 C444\n", "C444 is not supported");
    assertRefused("YUV4MPEG2 H48 F30:1\n", "no width");
    assertRefused("YUV4MPEG2 W100000 H48\n", "out of range");
    assertRefused("YUV4MPEG2 W64 H48 F30:0\n", "must be positive");
    assertRefused("YUV4MPEG2 Wide H48\n", "not a number");
    assertRefused("YUV4MPEG2 W64 H48", "ends inside the header");
    assertRefused("YUV4MPEG2 " + "X".repeat(2000) + "\n", "longer than");
    Path cut = dir.resolve("cut.y4m");
    Files.write(cut, concat("YUV4MPEG2 W4 H2\nFRAME\n", new byte[5]));
    try (Y4m.Reader reader = new Y4m.Reader(cut)) {
      assertThatThrownBy(reader::next).hasMessageContaining("cut short (5 of 12 bytes)");
    }
    Path junk = dir.resolve("junk.y4m");
    Files.write(junk, concat("YUV4MPEG2 W4 H2\nFRAMX\n", new byte[12]));
    try (Y4m.Reader reader = new Y4m.Reader(junk)) {
      assertThatThrownBy(reader::next).hasMessageContaining("expected FRAME");
    }
  }

  private void assertRefused(String content, String message) throws IOException {
    Path file = dir.resolve("bad.y4m");
    Files.writeString(file, content, StandardCharsets.US_ASCII);
    assertThatThrownBy(() -> new Y4m.Reader(file).close()).isInstanceOf(IOException.class)
        .hasMessageContaining(message);
  }

  private static byte[] concat(String text, byte[] bytes) {
    byte[] head = text.getBytes(StandardCharsets.US_ASCII);
    byte[] all = Arrays.copyOf(head, head.length + bytes.length);
    System.arraycopy(bytes, 0, all, head.length, bytes.length);
    return all;
  }

  @Test
  void videoSourcesRefuseSizesAndRatesOutsideTheCap() {
    assertThatThrownBy(() -> new VideoSource.Pattern(1920, 1080, 30, 0)).hasMessageContaining("1280x720");
    assertThatThrownBy(() -> new VideoSource.Pattern(321, 240, 30, 0)).hasMessageContaining("even");
    assertThatThrownBy(() -> new VideoSource.Pattern(320, 240, 60, 0)).hasMessageContaining("1-30");
    assertThatThrownBy(() -> new VideoSource.Pattern(320, 240, 30, 256)).hasMessageContaining("0-255");
  }

  static final String VIDEO_OFFER = String.join("\r\n",
      "v=0",
      "m=audio 9 UDP/TLS/RTP/SAVPF 111",
      "a=rtpmap:111 opus/48000/2",
      "a=sendrecv",
      "m=video 9 UDP/TLS/RTP/SAVPF 96 97 98",
      "a=rtpmap:96 VP8/90000",
      "a=rtpmap:97 rtx/90000",
      "a=rtpmap:98 H264/90000",
      "a=sendrecv",
      "");

  @Test
  void sdpTellsWhetherItsAuthorSendsVideoAndInWhichCodecs() {
    assertThat(Sdp.sendsVideo(VIDEO_OFFER)).isTrue();
    assertThat(Sdp.videoCodecs(VIDEO_OFFER)).containsExactly("VP8", "rtx", "H264");
    assertThat(Sdp.sendsVideo(VIDEO_OFFER.replace("a=sendrecv\r\n", "a=recvonly\r\n"))).isFalse();
    assertThat(Sdp.sendsVideo(VIDEO_OFFER.replace("m=video 9 ", "m=video 0 "))).isFalse();
    assertThat(Sdp.sendsVideo(SdpAndWavTest.OFFER)).isFalse();
    assertThat(Sdp.videoCodecs(SdpAndWavTest.OFFER)).isEmpty();
    // A later audio section after a receive-only video one does not make it sending.
    String videoFirst = "v=0\r\nm=video 9 X 96\r\na=inactive\r\nm=audio 9 X 111\r\na=sendrecv\r\n";
    assertThat(Sdp.sendsVideo(videoFirst)).isFalse();
    assertThat(Sdp.sendsVideo("v=0\r\nm=video 9 X 96\r\na=sendonly\r\nm=audio 9 X 111\r\n")).isTrue();
  }
}
