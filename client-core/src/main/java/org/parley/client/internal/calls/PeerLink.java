package org.parley.client.internal.calls;

import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionIceErrorEvent;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.RTCSignalingState;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.video.VideoTrack;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import org.parley.client.api.calls.CallException;
import org.parley.client.api.calls.CallOptions;
import org.parley.client.api.calls.CallStats;
import org.parley.client.api.calls.MediaState;
import org.parley.client.api.calls.VideoFrameListener;
import org.parley.client.api.calls.VideoSource;
import org.parley.protocol.IceServers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The media side of one call: its audio ({@link CallMedia}), its video ({@link CallVideo}), the peer connection
 * over them, the SDP exchange ({@link Negotiation}) and the statistics ({@link CallStatsReader}). Opened when the
 * call dials or is answered, closed once when it ends: tracks removed before the connection closes (libwebrtc aborts
 * otherwise), then the media. libwebrtc's callbacks arrive on its own threads and are handed to the call thread as
 * {@link Events}.
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
  private final List<VideoFrameListener> videoListeners;
  private final Negotiation negotiation = new Negotiation();
  private final CallStatsReader statsReader = new CallStatsReader();
  private CallMedia media;
  private CallVideo video;
  private RTCPeerConnection pc;

  /**
   * {@code callThread}: runs a task later on the call thread (and logs what it throws); {@code videoListeners}: the
   * manager's, given every frame.
   */
  PeerLink(String callId, Consumer<Runnable> callThread, List<VideoFrameListener> videoListeners) {
    this.callId = callId;
    this.callThread = callThread;
    this.videoListeners = videoListeners;
  }

  /** Opens the audio and a peer connection with the ICE servers {@code ice}. */
  void open(CallOptions options, IceServers ice, boolean muted, Events events) throws CallException {
    media = CallMedia.open(options.audio());
    media.setMuted(muted);
    pc = media.factory().createPeerConnection(Negotiation.configuration(ice, options.relayOnly()),
        new Observer(events));
    if (pc == null) {
      throw new CallException("libwebrtc could not create a peer connection");
    }
    Optional<Path> record = options.recordVideo();
    video = new CallVideo(callId, pc, media.factory(), options.receiveVideo(), videoListeners,
        record.map(f -> new Y4mRecorder(callId, f)).orElse(null));
  }

  void addLocalTrack() {
    pc.addTrack(media.localTrack(), List.of("parley"));
  }

  /** Starts (or switches) our video; a missing camera or unreadable file leaves the call as it was. */
  void sendVideo(VideoSource source) throws CallException {
    video.send(source);
  }

  void stopVideo() {
    video.stop();
  }

  /** Whether what our video should be differs from what was negotiated (then an offer is due). */
  boolean videoOfferDue() {
    return video.offerDue();
  }

  /** After the peer's offer: our side of its video sections (send, receive only, or decline). */
  void answerVideo() {
    video.answerDirections();
  }

  /**
   * After a negotiation: our video was declined by the peer (we stop sending it), and whether what we want differs
   * from what was negotiated (another offer is due).
   */
  boolean videoSettled() {
    return video.settle();
  }

  MediaState mediaState() {
    return video == null ? MediaState.AUDIO_ONLY : video.state();
  }

  /** Whether the peer connection is up (opened and not closed). */
  boolean isOpen() {
    return pc != null;
  }

  /** Whether our offer waits for its answer. */
  boolean offering() {
    return pc != null && pc.getSignalingState() == RTCSignalingState.HAVE_LOCAL_OFFER;
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

  /** Withdraws our offer (the peer's crossed it, and the callee gives way). */
  void rollback() throws CallException {
    negotiation.rollback(pc);
  }

  /** The current local and remote descriptions (tests and diagnostics). */
  String[] descriptions() {
    RTCPeerConnection p = pc;
    if (p == null) {
      return new String[] {"", ""};
    }
    RTCSessionDescription local = p.getCurrentLocalDescription();
    RTCSessionDescription remote = p.getCurrentRemoteDescription();
    return new String[] {local == null ? "" : local.sdp, remote == null ? "" : remote.sdp};
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

  /** Monotonic nanos of the first sample we sent, the first we received and the first remote video frame. */
  long[] mediaTimes() {
    CallMedia m = media;
    CallVideo v = video;
    return m == null ? new long[3]
        : new long[] {m.firstSentNanos(), m.firstReceivedNanos(), v == null ? 0 : v.firstRemoteFrameNanos()};
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
    if (video != null) {
      video.detach();
    }
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
    if (video != null) {
      video.close();
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
      } else if (track instanceof VideoTrack remoteVideo) {
        callThread.accept(() -> {
          if (pc != null) {
            video.remoteTrack(remoteVideo);
          }
        });
      }
    }
  }
}
