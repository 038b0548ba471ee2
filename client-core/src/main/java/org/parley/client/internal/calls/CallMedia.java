package org.parley.client.internal.calls;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import org.parley.client.api.calls.AudioIo;
import org.parley.client.api.calls.CallException;

/**
 * The audio side of one call: a peer connection factory over an audio device module, the local track, and what
 * happens to the remote track. One per call, closed (after the peer connection) when the call ends.
 */
public abstract class CallMedia implements AutoCloseable {

  public static CallMedia open(AudioIo audio) throws CallException {
    NativeLibrary.check();
    if (audio instanceof AudioIo.WavFiles wav) {
      return new WavMedia(wav);
    }
    return new DeviceMedia((AudioIo.Devices) audio);
  }

  public abstract PeerConnectionFactory factory();

  public abstract AudioTrack localTrack();

  /** The peer's audio track arrived. */
  public abstract void remoteTrack(AudioTrack track);

  /** ICE and DTLS are up (called on every (re)connection). */
  public abstract void connected();

  public abstract void setMuted(boolean muted);

  /** Monotonic nanos when our first sample was sent, or 0 (benchmarks). */
  public long firstSentNanos() {
    return 0;
  }

  /** Monotonic nanos when the peer's first sample arrived, or 0 (benchmarks). */
  public long firstReceivedNanos() {
    return 0;
  }

  /** Releases everything; the peer connection must be closed already. */
  @Override
  public abstract void close();
}
