package org.parley.client.internal.voice;

import club.minnced.opus.util.OpusLibrary;
import org.parley.client.api.voice.VoiceCodecException;
import tomp2p.opuswrapper.Opus;

/**
 * Loads libopus once (opus-java ships it for Linux, macOS and Windows and extracts it to a temporary file) and turns
 * a platform without it, or a library that does not load, into a clear error instead of an UnsatisfiedLinkError.
 */
final class OpusNative {

  private static Opus library;
  private static String failure;

  private OpusNative() {}

  static synchronized Opus library() throws VoiceCodecException {
    if (library == null && failure == null) {
      try {
        if (!OpusLibrary.isSupportedPlatform()) {
          failure = "no libopus is bundled for " + System.getProperty("os.name") + " " + System.getProperty("os.arch");
        } else if (!OpusLibrary.isInitialized() && !OpusLibrary.loadFromJar()) {
          failure = "libopus could not be loaded from opus-java's jar";
        } else {
          library = Opus.INSTANCE;
        }
      } catch (Exception | LinkageError e) {
        failure = "libopus did not load: " + e;
      }
    }
    if (failure != null) {
      throw new VoiceCodecException("Voice notes need the Opus codec, and " + failure);
    }
    return library;
  }

  static String versionString() throws VoiceCodecException {
    return library().opus_get_version_string();
  }

  static VoiceCodecException error(String what, int code) {
    String reason;
    try {
      reason = library().opus_strerror(code);
    } catch (VoiceCodecException e) {
      reason = "error " + code;
    }
    return new VoiceCodecException("Opus could not " + what + ": " + reason + " (" + code + ")");
  }
}
