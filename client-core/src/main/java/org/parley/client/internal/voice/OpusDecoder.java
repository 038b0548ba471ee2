package org.parley.client.internal.voice;

import com.sun.jna.ptr.PointerByReference;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;
import java.util.Arrays;
import org.parley.client.api.voice.UnreadableAudioException;
import org.parley.client.api.voice.VoiceCodecException;
import tomp2p.opuswrapper.Opus;

/** One libopus decoder producing 16-bit PCM at a rate Opus supports (8, 12, 16, 24 or 48 kHz). */
final class OpusDecoder implements AutoCloseable {

  private final Opus opus;
  private final PointerByReference state;
  private final int sampleRate;
  private final int channels;
  private boolean closed;

  OpusDecoder(int sampleRate, int channels) throws VoiceCodecException {
    this.opus = OpusNative.library();
    this.sampleRate = sampleRate;
    this.channels = channels;
    IntBuffer error = IntBuffer.allocate(1);
    PointerByReference created = opus.opus_decoder_create(sampleRate, channels, error);
    if (error.get(0) != Opus.OPUS_OK || created == null) {
      throw OpusNative.error("create a decoder for " + sampleRate + " Hz, " + channels + " channels", error.get(0));
    }
    this.state = created;
  }

  /** Decodes one packet to interleaved samples. */
  short[] decode(byte[] packet) throws UnreadableAudioException {
    if (closed) {
      throw new IllegalStateException("the decoder is closed");
    }
    int maxFrame = OpusPackets.MAX_SAMPLES_AT_48K * sampleRate / 48_000;
    ShortBuffer pcm = ShortBuffer.allocate(maxFrame * channels);
    int samples = opus.opus_decode(state, packet, packet.length, pcm, maxFrame, 0);
    if (samples < 0) {
      throw new UnreadableAudioException("The file is damaged: an Opus packet does not decode ("
          + opus.opus_strerror(samples) + ")");
    }
    return Arrays.copyOf(pcm.array(), samples * channels);
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      opus.opus_decoder_destroy(state);
    }
  }
}
