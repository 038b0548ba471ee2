package org.parley.client.internal.voice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.voice.UnreadableAudioException;
import org.parley.testing.Tones;

/** Reading the WAV files a voice note is made from: the layouts recorders write, mixed to mono. */
class WavFilesTest {

  @TempDir
  Path dir;

  /** A WAV with one {@code fmt } chunk of {@code fmt} and the given data, an unknown chunk before the data. */
  private Path wav(String name, byte[] fmt, byte[] data) throws Exception {
    ByteBuffer b = ByteBuffer.allocate(12 + 8 + fmt.length + 8 + 4 + 8 + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.put(ascii("RIFF")).putInt(b.capacity() - 8).put(ascii("WAVE"));
    b.put(ascii("fmt ")).putInt(fmt.length).put(fmt);
    b.put(ascii("LIST")).putInt(4).put(ascii("INFO"));
    b.put(ascii("data")).putInt(data.length).put(data);
    return Files.write(dir.resolve(name), b.array());
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] fmt(int format, int channels, int rate, int bits) {
    int align = channels * bits / 8;
    return ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putShort((short) format)
        .putShort((short) channels).putInt(rate).putInt(rate * align).putShort((short) align)
        .putShort((short) bits).array();
  }

  @Test
  void aToneFileFromTheTestToolsReadsBackSampleForSample() throws Exception {
    Path file = Tones.write(dir.resolve("tone.wav"), 1000, 44_100, 0.5);
    PcmAudio pcm = WavFiles.readMono(file);
    assertThat(pcm.sampleRate()).isEqualTo(44_100);
    assertThat(pcm.channels()).isEqualTo(1);
    assertThat(pcm.samples()).isEqualTo(Tones.read(file));
  }

  @Test
  void stereoIsAveragedAndFloat24BitAnd8BitScaleToTheSameLevels() throws Exception {
    byte[] stereo = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 1000)
        .putShort((short) 3000).putShort((short) -2000).putShort((short) 0).array();
    assertThat(WavFiles.readMono(wav("s.wav", fmt(1, 2, 48_000, 16), stereo)).samples())
        .containsExactly((short) 2000, (short) -1000);
    byte[] floats = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(0.5f).putFloat(Float.NaN).array();
    assertThat(WavFiles.readMono(wav("f.wav", fmt(3, 1, 22_050, 32), floats)).samples())
        .containsExactly((short) 16384, (short) 0);
    byte[] int24 = {0, 0, 0x40, 0, 0, (byte) 0xC0}; // +0.5 and -0.5
    assertThat(WavFiles.readMono(wav("i.wav", fmt(1, 1, 8_000, 24), int24)).samples())
        .containsExactly((short) 16384, (short) -16384);
    byte[] unsigned8 = {(byte) 192, 64};
    assertThat(WavFiles.readMono(wav("u.wav", fmt(1, 1, 8_000, 8), unsigned8)).samples())
        .containsExactly((short) 16384, (short) -16384);
  }

  @Test
  void wavesFormatExtensibleNamesItsFormatInTheSubFormat() throws Exception {
    byte[] extensible = Arrays.copyOf(fmt(0xFFFE, 1, 16_000, 16), 40);
    ByteBuffer.wrap(extensible).order(ByteOrder.LITTLE_ENDIAN).putShort(16, (short) 22).putShort(24, (short) 1);
    byte[] data = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) 1234).array();
    assertThat(WavFiles.readMono(wav("x.wav", extensible, data)).samples()).containsExactly((short) 1234);
  }

  @Test
  void whatCannotBeReadIsRefusedSayingWhy() throws Exception {
    Path text = Files.writeString(dir.resolve("memo.wav"), "plain text");
    assertThatThrownBy(() -> WavFiles.readMono(text)).isInstanceOf(UnreadableAudioException.class)
        .hasMessage("memo.wav is not a WAV file (it does not start with RIFF/WAVE)");
    Path adpcm = wav("adpcm.wav", fmt(2, 1, 8_000, 4), new byte[16]);
    assertThatThrownBy(() -> WavFiles.readMono(adpcm)).isInstanceOf(UnreadableAudioException.class)
        .hasMessageContaining("only uncompressed WAV");
    Path fast = wav("fast.wav", fmt(1, 1, 192_000, 16), new byte[16]);
    assertThatThrownBy(() -> WavFiles.readMono(fast)).isInstanceOf(UnreadableAudioException.class)
        .hasMessageContaining("192000 Hz is outside the 8000–96000 Hz");
    byte[] headerOnly = Arrays.copyOf(Files.readAllBytes(Tones.write(dir.resolve("t.wav"), 440, 8000, 0.1)), 30);
    Path cut = Files.write(dir.resolve("cut.wav"), headerOnly);
    assertThatThrownBy(() -> WavFiles.readMono(cut)).isInstanceOf(UnreadableAudioException.class)
        .hasMessageContaining("cut short");
    assertThatThrownBy(() -> WavFiles.readMono(dir.resolve("none.wav"))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("There is no file");
  }
}
