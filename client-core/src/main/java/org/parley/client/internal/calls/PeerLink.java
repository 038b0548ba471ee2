package org.parley.client.internal.calls;

import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionIceErrorEvent;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import java.util.List;
import java.util.function.Consumer;
import org.parley.client.api.calls.CallException;
import org.parley.client.api.calls.CallOptions;
import org.parley.client.api.calls.CallStats;
import org.parley.protocol.IceServers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media side of one call: its audio ({@link CallMedia}), the peer connection over it, the SDP exchange
 * ({@link Negotiation}) and the statistics ({@link CallStatsReader}). Opened when the call dials or is answered,
 * closed once when it ends: tracks removed before the connection closes (libwebrtc aborts otherwise), then the media.
 * libwebrtc's callbacks arrive on its own threads and are handed to the call thread as {@link Events}.
 */
final class PeerLink {

  /** What the peer connection reports, delivered on the call thread. */
  interface Events {
    void localCandidate(RTCIceCandidate candidate);

    void connectionChanged(RTCPeerConnectionState state);

    void remoteTrack(AudioTrack track);
  }

  private static final Logger log = LoggerFactory.getLogger(PeerLink.class);

  private final String callId;
  private final Consumer<Runnable> callThread;
  private final Negotiation negotiation = new Negotiation();
  private final CallStatsReader statsReader = new CallStatsReader();
  private CallMedia media;
  private RTCPeerConnection pc;

  /** {@code callThread}: runs a task later on the call thread (and logs what it throws). */
  PeerLink(String callId, Consumer<Runnable> callThread) {
    this.callId = callId;
    this.callThread = callThread;
  }

  /** Opens the audio and a peer connection with the ICE servers {@code ice}, and adds our audio track. */
  void open(CallOptions options, IceServers ice, boolean muted, Events events) throws CallException {
    media = CallMedia.open(options.audio());
    media.setMuted(muted);
    pc = media.factory().createPeerConnection(Negotiation.configuration(ice, options.relayOnly()),
        new Observer(events));
    if (pc == null) {
      throw new CallException("libwebrtc could not create a peer connection");
    }
  }

  void addLocalTrack() {
    pc.addTrack(media.localTrack(), List.of("parley"));
  }

  /** Whether the peer connection is up (opened and not closed). */
  boolean isOpen() {
    return pc != null;
  }

  /** Our offer, or a new one for an ICE restart. */
  RTCSessionDescription offer(boolean iceRestart) throws CallException {
    return negotiation.local(pc, true, iceRestart);
  }

  RTCSessionDescription answer() throws CallException {
    return negotiation.local(pc, false, false);
  }

  void remote(RTCSessionDescription description) throws CallException {
    negotiation.remote(pc, description);
  }

  /** A candidate of the peer; held by the negotiation while there is no peer connection or description yet. */
  void remoteCandidate(RTCIceCandidate candidate) {
    negotiation.remoteCandidate(pc, candidate);
  }

  void setMuted(boolean muted) {
    if (media != null) {
      media.setMuted(muted);
    }
  }

  void playRemote(AudioTrack track) {
    if (media != null) {
      media.remoteTrack(track);
    }
  }

  /** ICE and DTLS are up: the media may start (on every (re)connection). */
  void mediaConnected() {
    media.connected();
  }

  /** Monotonic nanos of the first sample we sent and the first we received (benchmarks). */
  long[] mediaTimes() {
    CallMedia m = media;
    return m == null ? new long[2] : new long[] {m.firstSentNanos(), m.firstReceivedNanos()};
  }

  /** Serialized with {@link #close}, since statistics may be asked for from any thread. */
  synchronized CallStats stats(boolean advance, Long connectedAt, long nowMillis) throws CallException {
    RTCPeerConnection p = pc;
    if (p == null) {
      throw new CallException("Call " + callId + " has no connection");
    }
    return statsReader.read(p, advance, connectedAt, nowMillis);
  }

  synchronized void close() {
    RTCPeerConnection p = pc;
    pc = null;
    if (p != null) {
      try {
        for (RTCRtpSender sender : p.getSenders()) {
          p.removeTrack(sender);
        }
      } catch (RuntimeException e) {
        log.debug("call {}: removing tracks: {}", callId, e.toString());
      }
      p.close();
    }
    if (media != null) {
      media.close();
    }
  }

  private final class Observer implements PeerConnectionObserver {

    private final Events events;

    Observer(Events events) {
      this.events = events;
    }

    @Override
    public void onIceCandidate(RTCIceCandidate candidate) {
      callThread.accept(() -> events.localCandidate(candidate));
    }

    @Override
    public void onIceCandidateError(RTCPeerConnectionIceErrorEvent event) {
      callThread.accept(() -> log.warn("call {}: ICE server {} answered {} {}", callId, event.getUrl(),
          event.getErrorCode(), event.getErrorText()));
    }

    @Override
    public void onConnectionChange(RTCPeerConnectionState state) {
      callThread.accept(() -> events.connectionChanged(state));
    }

    @Override
    public void onTrack(RTCRtpTransceiver transceiver) {
      MediaStreamTrack track = transceiver.getReceiver().getTrack();
      if (track instanceof AudioTrack audio) {
        callThread.accept(() -> events.remoteTrack(audio));
      }
    }
  }
}
