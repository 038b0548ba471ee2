package org.parley.client.internal.calls;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCRtpCodecCapability;
import dev.onvoid.webrtc.RTCRtpEncodingParameters;
import dev.onvoid.webrtc.RTCRtpSendParameters;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCRtpTransceiverDirection;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.MediaType;
import dev.onvoid.webrtc.media.video.VideoTrack;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.client.api.calls.CallException;
import org.parley.client.api.calls.MediaState;
import org.parley.client.api.calls.VideoFrameListener;
import org.parley.client.api.calls.VideoSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The video of one call: our {@link LocalVideo} on the peer connection's one video transceiver, the peer's video
 * track with its sink, and what each side sends as negotiated. The transceiver is made when either side first sends
 * video and then kept: turning the camera off sets it to receive only (or inactive), turning it on again reuses it,
 * so the SDP never grows. VP8 is put first in the codec preferences; once negotiated, the encoding is capped at 30 fps
 * and {@link #MAX_BITRATE}. Used on the call thread, except the frame sinks (libwebrtc's threads).
 */
final class CallVideo {

  /** Enough for 1280×720 VP8 at 30 fps; libwebrtc's bandwidth estimate decides below it. */
  static final int MAX_BITRATE = 1_700_000;
  static final String DECLINED = "The other side declined video";
  private static final Logger log = LoggerFactory.getLogger(CallVideo.class);

  private final String callId;
  private final RTCPeerConnection pc;
  private final PeerConnectionFactory factory;
  private final boolean receive;
  private final VideoFrames remoteSink;
  private final VideoFrames localSink;
  private final Y4mRecorder recorder;
  private LocalVideo local;
  private VideoTrack remote;
  private String problem;

  CallVideo(String callId, RTCPeerConnection pc, PeerConnectionFactory factory, boolean receive,
      List<VideoFrameListener> listeners, Y4mRecorder recorder) {
    this.callId = callId;
    this.pc = pc;
    this.factory = factory;
    this.receive = receive;
    this.recorder = recorder;
    this.remoteSink = new VideoFrames(callId, listeners, recorder, true);
    this.localSink = new VideoFrames(callId, listeners, null, false);
  }

  /** Sends {@code source} from now on (renegotiation is the caller's business). */
  void send(VideoSource source) throws CallException {
    LocalVideo next;
    try {
      next = LocalVideo.open(factory, source);
    } catch (CallException e) {
      problem = e.getMessage();
      throw e;
    }
    RTCRtpTransceiver t = transceiver();
    if (t == null) {
      // addTrack, not addTransceiver: should the peer's offer cross ours and we roll ours back, libwebrtc pairs a
      // transceiver made by addTrack with the peer's new video section, instead of leaving it for a second one.
      pc.addTrack(next.track(), List.of("parley"));
      t = transceiver();
      t.setDirection(sending());
    } else {
      t.getSender().replaceTrack(next.track());
      t.getSender().setStreams(List.of("parley"));
      t.setDirection(sending());
    }
    preferVp8(t);
    LocalVideo previous = local;
    local = next;
    next.track().addSink(localSink);
    if (previous != null) {
      previous.track().removeSink(localSink);
      previous.close();
    }
    problem = null;
  }

  /** Stops our video (the transceiver stays, receiving if we take the peer's video). */
  void stop() {
    RTCRtpTransceiver t = transceiver();
    if (t != null) {
      t.getSender().replaceTrack(null);
      t.setDirection(receive ? RTCRtpTransceiverDirection.RECV_ONLY : RTCRtpTransceiverDirection.INACTIVE);
    }
    closeLocal();
    problem = null;
  }

  /** After the peer's offer is applied: our direction on its video section. */
  void answerDirections() {
    RTCRtpTransceiver t = transceiver();
    if (t == null) {
      return;
    }
    if (local != null) {
      if (t.getSender().getTrack() == null) {
        t.getSender().replaceTrack(local.track());
        t.getSender().setStreams(List.of("parley"));
        preferVp8(t);
      }
      t.setDirection(sending());
    } else {
      t.setDirection(receive ? RTCRtpTransceiverDirection.RECV_ONLY : RTCRtpTransceiverDirection.INACTIVE);
    }
  }

  /**
   * After a negotiation completed. If we offered video and the peer's answer leaves it unsent (it takes no video),
   * ours stops: asking again would only be declined again. Returns whether we want something the negotiation does
   * not say (our video on without a sending section, or off with one): then another offer is due.
   */
  boolean settle() {
    RTCRtpTransceiver t = transceiver();
    RTCRtpTransceiverDirection negotiated = t == null ? null : t.getCurrentDirection();
    boolean negotiatedSend = negotiated == RTCRtpTransceiverDirection.SEND_RECV
        || negotiated == RTCRtpTransceiverDirection.SEND_ONLY;
    if (local != null && !negotiatedSend && t != null && sends(t.getDirection()) && negotiated != null) {
      log.info("call {}: the peer declined our video", callId);
      t.getSender().replaceTrack(null);
      t.setDirection(receive ? RTCRtpTransceiverDirection.RECV_ONLY : RTCRtpTransceiverDirection.INACTIVE);
      closeLocal();
      problem = DECLINED;
      return false;
    }
    if (t != null && negotiatedSend) {
      limitEncoding(t);
    }
    return (local != null) != negotiatedSend;
  }

  /** Our video is on without a negotiated sending section, or off with one. */
  boolean offerDue() {
    RTCRtpTransceiver t = transceiver();
    RTCRtpTransceiverDirection negotiated = t == null ? null : t.getCurrentDirection();
    return (local != null) != sends(negotiated);
  }

  MediaState state() {
    RTCRtpTransceiver t = transceiver();
    RTCRtpTransceiverDirection negotiated = t == null ? null : t.getCurrentDirection();
    boolean localOn = local != null && (negotiated == null || sends(negotiated));
    boolean remoteOn = negotiated == RTCRtpTransceiverDirection.SEND_RECV
        || negotiated == RTCRtpTransceiverDirection.RECV_ONLY;
    return new MediaState(localOn, remoteOn, Optional.ofNullable(problem));
  }

  void remoteTrack(VideoTrack track) {
    if (remote == null) {
      remote = track;
      track.addSink(remoteSink);
    }
  }

  long firstRemoteFrameNanos() {
    return remoteSink.firstNanos();
  }

  /** Before the peer connection closes: no more frames to our sinks. */
  void detach() {
    if (remote != null) {
      remote.removeSink(remoteSink);
    }
    if (local != null) {
      local.track().removeSink(localSink);
    }
  }

  /** After the peer connection closed. */
  void close() {
    if (local != null) {
      local.close();
      local = null;
    }
    if (recorder != null) {
      recorder.close();
    }
  }

  private void closeLocal() {
    if (local != null) {
      local.track().removeSink(localSink);
      local.close();
      local = null;
    }
  }

  private RTCRtpTransceiverDirection sending() {
    return receive ? RTCRtpTransceiverDirection.SEND_RECV : RTCRtpTransceiverDirection.SEND_ONLY;
  }

  private static boolean sends(RTCRtpTransceiverDirection d) {
    return d == RTCRtpTransceiverDirection.SEND_RECV || d == RTCRtpTransceiverDirection.SEND_ONLY;
  }

  /** The peer connection's video transceiver, if either side added one. */
  private RTCRtpTransceiver transceiver() {
    for (RTCRtpTransceiver t : pc.getTransceivers()) {
      MediaStreamTrack track = t.getReceiver().getTrack();
      if (track != null && MediaStreamTrack.VIDEO_TRACK_KIND.equals(track.getKind()) && !t.stopped()) {
        return t;
      }
    }
    return null;
  }

  /** VP8 first, the rest (H.264, VP9, AV1, and the retransmission and FEC formats) after it, as libwebrtc had them. */
  private void preferVp8(RTCRtpTransceiver t) {
    try {
      List<RTCRtpCodecCapability> codecs = factory.getRtpReceiverCapabilities(MediaType.VIDEO).getCodecs();
      List<RTCRtpCodecCapability> ordered = new ArrayList<>();
      codecs.stream().filter(c -> "VP8".equalsIgnoreCase(c.getName())).forEach(ordered::add);
      codecs.stream().filter(c -> !"VP8".equalsIgnoreCase(c.getName())).forEach(ordered::add);
      t.setCodecPreferences(ordered);
    } catch (RuntimeException e) {
      log.warn("call {}: cannot prefer VP8: {}", callId, e.toString());
    }
  }

  private static RTCRtpEncodingParameters encoding(RTCRtpEncodingParameters e) {
    e.active = true;
    e.maxBitrate = MAX_BITRATE;
    e.maxFramerate = (double) VideoSource.MAX_FPS;
    return e;
  }

  /** Caps the negotiated encoding (addTrack and the peer's offer make transceivers without our limits). */
  private void limitEncoding(RTCRtpTransceiver t) {
    try {
      RTCRtpSendParameters parameters = t.getSender().getParameters();
      if (parameters.encodings == null || parameters.encodings.isEmpty()) {
        return;
      }
      RTCRtpEncodingParameters first = parameters.encodings.get(0);
      if (first.maxBitrate != null && first.maxBitrate == MAX_BITRATE) {
        return;
      }
      encoding(first);
      t.getSender().setParameters(parameters);
    } catch (RuntimeException e) {
      log.debug("call {}: cannot cap the video encoding: {}", callId, e.toString());
    }
  }
}
