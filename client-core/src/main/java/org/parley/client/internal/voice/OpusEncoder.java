package org.parley.client.internal.voice;

import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.nio.ShortBuffer;
import java.util.Arrays;
import org.parley.client.api.voice.VoiceCodecException;
import tomp2p.opuswrapper.Opus;

/** One libopus encoder for speech (application VOIP, signal voice, VBR), fed one frame of 16-bit PCM at a time. */
final class OpusEncoder implements AutoCloseable {

  /** Larger than any packet at our bitrates; libopus recommends 4000 bytes as a safe bound. */
  private static final int MAX_PACKET = 4000;

  private final Opus opus;
  private final PointerByReference state;
  private final int channels;
  private final int frameSize;
  private boolean closed;

  OpusEncoder(int sampleRate, int channels, int frameMillis, int bitrate) throws VoiceCodecException {
    this.opus = OpusNative.library();
    this.channels = channels;
    this.frameSize = sampleRate * frameMillis / 1000;
    IntBuffer error = IntBuffer.allocate(1);
    PointerByReference created = opus.opus_encoder_create(sampleRate, channels, Opus.OPUS_APPLICATION_VOIP, error);
    if (error.get(0) != Opus.OPUS_OK || created == null) {
      throw OpusNative.error("create an encoder for " + sampleRate + " Hz, " + channels + " channels", error.get(0));
    }
    this.state = created;
    try {
      ctl("set the bitrate", Opus.OPUS_SET_BITRATE_REQUEST, bitrate);
      ctl("tune for speech", Opus.OPUS_SET_SIGNAL_REQUEST, Opus.OPUS_SIGNAL_VOICE);
      ctl("set the complexity", Opus.OPUS_SET_COMPLEXITY_REQUEST, 10);
    } catch (VoiceCodecException e) {
      close();
      throw e;
    }
  }

  /** Samples per channel in one frame. */
  int frameSize() {
    return frameSize;
  }

  /**
   * The encoder's delay in samples per channel at its own rate: what a decoder must skip at the start (the
   * pre-skip of RFC 7845, once converted to 48 kHz).
   */
  int lookahead() throws VoiceCodecException {
    IntByReference lookahead = new IntByReference();
    int result = opus.opus_encoder_ctl(state, Opus.OPUS_GET_LOOKAHEAD_REQUEST, lookahead);
    if (result != Opus.OPUS_OK) {
      throw OpusNative.error("report its lookahead", result);
    }
    return lookahead.getValue();
  }

  /** Encodes one frame: {@code frameSize() * channels} interleaved samples starting at {@code offset}. */
  byte[] encode(short[] pcm, int offset) throws VoiceCodecException {
    if (closed) {
      throw new IllegalStateException("the encoder is closed");
    }
    ShortBuffer frame = ShortBuffer.allocate(frameSize * channels);
    frame.put(pcm, offset, frameSize * channels).flip();
    ByteBuffer packet = ByteBuffer.allocate(MAX_PACKET);
    int length = opus.opus_encode(state, frame, frameSize, packet, MAX_PACKET);
    if (length < 0) {
      throw OpusNative.error("encode a frame", length);
    }
    return Arrays.copyOf(packet.array(), length);
  }

  private void ctl(String what, int request, int value) throws VoiceCodecException {
    int result = opus.opus_encoder_ctl(state, request, value);
    if (result != Opus.OPUS_OK) {
      throw OpusNative.error(what, result);
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      opus.opus_encoder_destroy(state);
    }
  }
}
