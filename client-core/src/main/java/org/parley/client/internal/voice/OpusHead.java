package org.parley.client.internal.voice;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.parley.client.api.voice.UnreadableAudioException;

/**
 * The identification header of an Ogg Opus stream (RFC 7845 section 5.1), channel mapping family 0 only (mono or
 * stereo: what voice notes are; files with more channels are refused with a clear message).
 *
 * @param channels 1 or 2
 * @param preSkip samples at 48 kHz to drop from the decoder's output at the start (the encoder's delay)
 * @param inputSampleRate the rate of the audio the encoder was given, in Hz: a hint for playback, 0 if unknown
 * @param outputGain gain to apply on output, in dB as a signed Q7.8 number
 */
record OpusHead(int channels, int preSkip, long inputSampleRate, short outputGain) {

  static final String MAGIC = "OpusHead";
  private static final int SIZE = 19;
  private static final int VERSION = 1;

  OpusHead {
    if (channels < 1 || channels > 2) {
      throw new IllegalArgumentException("channels must be 1 or 2, not " + channels);
    }
    if (preSkip < 0 || preSkip > 0xffff) {
      throw new IllegalArgumentException("pre-skip out of range: " + preSkip);
    }
    if (inputSampleRate < 0 || inputSampleRate > 0xffffffffL) {
      throw new IllegalArgumentException("input sample rate out of range: " + inputSampleRate);
    }
  }

  byte[] toBytes() {
    ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
    b.put(MAGIC.getBytes(StandardCharsets.US_ASCII));
    b.put((byte) VERSION);
    b.put((byte) channels);
    b.putShort((short) preSkip);
    b.putInt((int) inputSampleRate);
    b.putShort(outputGain);
    b.put((byte) 0); // channel mapping family 0: mono or stereo, no mapping table
    return b.array();
  }

  /** The gain factor to multiply decoded samples by. */
  double outputGainFactor() {
    return Math.pow(10, outputGain / 256.0 / 20.0);
  }

  static boolean isOpusHead(byte[] packet) {
    return startsWith(packet, MAGIC);
  }

  static OpusHead parse(byte[] packet) throws UnreadableAudioException {
    if (!isOpusHead(packet)) {
      throw new UnreadableAudioException("Not an Ogg Opus file: the first packet is not an OpusHead");
    }
    if (packet.length < SIZE) {
      throw new UnreadableAudioException("The OpusHead is too short (" + packet.length + " bytes, at least 19)");
    }
    ByteBuffer b = ByteBuffer.wrap(packet).order(ByteOrder.LITTLE_ENDIAN);
    int version = packet[8] & 0xff;
    if (version > 15) {
      // RFC 7845: versions up to 15 are compatible with this layout; a higher major version is not.
      throw new UnreadableAudioException("Unsupported Ogg Opus version " + version);
    }
    int channels = packet[9] & 0xff;
    int preSkip = b.getShort(10) & 0xffff;
    long inputRate = b.getInt(12) & 0xffffffffL;
    short gain = b.getShort(16);
    int family = packet[18] & 0xff;
    if (channels == 0) {
      throw new UnreadableAudioException("The OpusHead says the stream has 0 channels");
    }
    if (family != 0) {
      throw new UnreadableAudioException("Multichannel Opus (channel mapping family " + family + ", " + channels
          + " channels) is not supported; voice notes are mono or stereo");
    }
    if (channels > 2) {
      throw new UnreadableAudioException("The OpusHead is invalid: mapping family 0 allows 1 or 2 channels, not "
          + channels);
    }
    return new OpusHead(channels, preSkip, inputRate, gain);
  }

  /** What codec an Ogg stream's first packet announces, for an error message. */
  static String codecOf(byte[] firstPacket) {
    if (startsWith(firstPacket, "\u0001vorbis")) {
      return "Vorbis";
    }
    if (startsWith(firstPacket, "Speex   ")) {
      return "Speex";
    }
    if (startsWith(firstPacket, "\u007fFLAC")) {
      return "FLAC";
    }
    if (startsWith(firstPacket, "\u0080theora")) {
      return "Theora (video)";
    }
    return "an unknown codec";
  }

  private static boolean startsWith(byte[] packet, String magic) {
    byte[] m = magic.getBytes(StandardCharsets.ISO_8859_1);
    if (packet.length < m.length) {
      return false;
    }
    for (int i = 0; i < m.length; i++) {
      if (packet[i] != m[i]) {
        return false;
      }
    }
    return true;
  }
}
