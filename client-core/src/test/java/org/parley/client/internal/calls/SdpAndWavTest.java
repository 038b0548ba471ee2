package org.parley.client.internal.calls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SdpAndWavTest {

  static final String OFFER = String.join("\r\n",
      "v=0",
      "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9",
      "a=rtpmap:111 opus/48000/2",
      "a=rtcp-fb:111 transport-cc",
      "a=fmtp:111 minptime=10;useinbandfec=1",
      "a=rtpmap:63 red/48000/2",
      "a=fmtp:63 111/111",
      "a=rtpmap:9 G722/8000",
      "") ;

  @Test
  void opusFmtpGetsTheParleyParametersAndKeepsItsOwn() {
    String constrained = Sdp.constrainOpus(OFFER);
    assertThat(constrained).contains("a=fmtp:111 minptime=10;useinbandfec=1;maxplaybackrate=16000;"
        + "sprop-maxcapturerate=16000;maxaveragebitrate=20000\r\n");
    assertThat(constrained).contains("a=fmtp:63 111/111\r\n"); // RED untouched
    assertThat(constrained).doesNotContain("\n\n").endsWith("\r\n");
    assertThat(Sdp.opusFmtp(constrained)).isEqualTo("minptime=10;useinbandfec=1;maxplaybackrate=16000;"
        + "sprop-maxcapturerate=16000;maxaveragebitrate=20000");
    assertThat(Sdp.constrainOpus(constrained)).isEqualTo(constrained); // idempotent
  }

  @Test
  void anOpusWithoutFmtpGetsOneAndExistingValuesAreReplaced() {
    String noFmtp = "m=audio 9 RTP/SAVPF 96\na=rtpmap:96 opus/48000/2\na=ptime:20\n";
    assertThat(Sdp.constrainOpus(noFmtp)).isEqualTo("m=audio 9 RTP/SAVPF 96\na=rtpmap:96 opus/48000/2\n"
        + "a=fmtp:96 maxplaybackrate=16000;sprop-maxcapturerate=16000;maxaveragebitrate=20000;useinbandfec=1\n"
        + "a=ptime:20\n");
    String louder = "a=rtpmap:111 opus/48000/2\na=fmtp:111 maxaveragebitrate=510000;useinbandfec=0\n";
    assertThat(Sdp.opusFmtp(Sdp.constrainOpus(louder))).isEqualTo("maxaveragebitrate=20000;useinbandfec=1;"
        + "maxplaybackrate=16000;sprop-maxcapturerate=16000");
    assertThat(Sdp.constrainOpus("v=0\nm=audio 9 RTP/SAVPF 0\na=rtpmap:0 PCMU/8000\n"))
        .isEqualTo("v=0\nm=audio 9 RTP/SAVPF 0\na=rtpmap:0 PCMU/8000\n");
  }

  @Test
  void wavFilesRoundTripAndBadOnesGetClearErrors(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("a.wav");
    short[] samples = {0, 1000, -1000, 32767, -32768, 42};
    Wav.write(file, new Wav.Pcm(16000, 2, samples));
    Wav.Pcm read = Wav.read(file);
    assertThat(read.sampleRate()).isEqualTo(16000);
    assertThat(read.channels()).isEqualTo(2);
    assertThat(read.samples()).containsExactly(samples);
    assertThat(read.frames()).isEqualTo(3);

    Path text = Files.writeString(dir.resolve("t.wav"), "not audio at all");
    assertThatThrownBy(() -> Wav.read(text)).hasMessageContaining("not a WAV file");
    Path eightBit = dir.resolve("8bit.wav");
    Files.write(eightBit, header(1, 1, 16000, 8, 4));
    assertThatThrownBy(() -> Wav.read(eightBit)).hasMessageContaining("only 16-bit PCM");
    Path float32 = dir.resolve("float.wav");
    Files.write(float32, header(3, 1, 16000, 32, 8));
    assertThatThrownBy(() -> Wav.read(float32)).hasMessageContaining("only 16-bit PCM");
    Path tooFast = dir.resolve("96k.wav");
    Files.write(tooFast, header(1, 1, 96000, 16, 4));
    assertThatThrownBy(() -> Wav.read(tooFast)).hasMessageContaining("96000 Hz");
    Path noData = dir.resolve("nodata.wav");
    byte[] h = header(1, 1, 16000, 16, 0);
    Files.write(noData, Arrays.copyOf(h, 36));
    assertThatThrownBy(() -> Wav.read(noData)).hasMessageContaining("no fmt/data chunk");
  }

  private static byte[] header(int format, int channels, int rate, int bits, int dataBytes) {
    ByteBuffer b = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
    b.put("RIFF".getBytes()).putInt(36 + dataBytes).put("WAVE".getBytes());
    b.put("fmt ".getBytes()).putInt(16).putShort((short) format).putShort((short) channels).putInt(rate)
        .putInt(rate * channels * bits / 8).putShort((short) (channels * bits / 8)).putShort((short) bits);
    b.put("data".getBytes()).putInt(dataBytes);
    return b.array();
  }
}
