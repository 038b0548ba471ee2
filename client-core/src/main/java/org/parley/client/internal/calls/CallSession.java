package org.parley.client.internal.calls;

import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.RejectedExecutionException;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.ParleyException;
import org.parley.client.api.calls.Call;
import org.parley.client.api.calls.CallDirection;
import org.parley.client.api.calls.CallEndReason;
import org.parley.client.api.calls.CallEntry;
import org.parley.client.api.calls.CallException;
import org.parley.client.api.calls.CallOptions;
import org.parley.client.api.calls.CallState;
import org.parley.client.api.calls.CallStats;
import org.parley.client.api.calls.MediaState;
import org.parley.client.api.calls.VideoSource;
import org.parley.client.internal.proto.CallMessage;
import org.parley.protocol.IceServers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call's state machine: dialing, ringing, answering, the peer's signaling, reconnecting, ending and recording.
 * What is not a transition lives beside it: the peer connection, media, SDP and statistics in {@link PeerLink}, the
 * timers in {@link CallTimers}, outgoing signaling in {@link CallSignals} and {@link CandidateTrickle}, entry texts in
 * {@link CallEntryTexts}. It stays above 400 lines on purpose: every transition of a call, for both directions, can
 * be read in this one place, and splitting caller from callee would spread each shared transition over two classes.
 * Every method runs on the manager's call thread; libwebrtc's callbacks are handed over to it.
 */
final class CallSession implements PeerLink.Events {

  private static final Logger log = LoggerFactory.getLogger(CallSession.class);

  private final DefaultCallManager manager;
  private final String callId;
  private final String peerNumber;
  private final String peerAccount;
  private final CallDirection direction;
  private final long startedAt;
  private final CallPort.Self self;

  private CallState state = CallState.RINGING;
  private Long connectedAt;
  private Long endedAt;
  private CallEndReason endReason;
  private boolean muted;
  private MediaState media = MediaState.AUDIO_ONLY;
  /** Our video changed while an offer of ours was out: offer again once it is answered. */
  private boolean renegotiateAfter;

  /** The peer's device in this call: the caller's device (incoming), the device that answered (outgoing). */
  private int peerDevice;
  /** Outgoing: how many of the callee's devices got the offer. */
  private int ringingDevices;
  private String remoteOfferSdp;
  /** Whether our offer or answer went out (an outgoing call that failed before tells the peer nothing). */
  private boolean signalingReady;

  private final PeerLink link;
  private final CallTimers timers;
  private final CallSignals signals;
  private final CandidateTrickle trickle;

  CallSession(DefaultCallManager manager, String callId, String peerNumber, String peerAccount,
      CallDirection direction, long startedAt, CallPort.Self self) {
    this.manager = manager;
    this.callId = callId;
    this.peerNumber = peerNumber;
    this.peerAccount = peerAccount;
    this.direction = direction;
    this.startedAt = startedAt;
    this.self = self;
    this.link = new PeerLink(callId, this::later, manager.videoListeners());
    this.timers = new CallTimers(manager.exec(), callId);
    this.signals = new CallSignals(manager.port(), callId, startedAt, peerAccount, peerNumber);
    this.trickle = new CandidateTrickle(signals, this::later);
  }

  CallState state() {
    return state;
  }

  CallDirection direction() {
    return direction;
  }

  String peerAccount() {
    return peerAccount;
  }

  Call snapshot() {
    return new Call(callId, peerNumber, direction, state, startedAt, Optional.ofNullable(connectedAt),
        Optional.ofNullable(endedAt), Optional.ofNullable(endReason), muted, media);
  }

  long[] mediaTimes() {
    return link.mediaTimes();
  }

  String[] descriptions() {
    return link.descriptions();
  }

  // ---- caller ----

  void dial(CallOptions options, IceServers ice) throws ParleyException {
    try {
      long t0 = System.nanoTime();
      link.open(options, ice, muted, this);
      long t1 = System.nanoTime();
      link.addLocalTrack();
      if (options.video().isPresent()) {
        startVideoOrSayWhy(options.video().get());
      }
      media = link.mediaState();
      RTCSessionDescription offer = link.offer(false);
      long t2 = System.nanoTime();
      List<Integer> delivered = signals.offer(offer.sdp);
      log.debug("call {}: media and peer connection {} ms, offer {} ms, sending it {} ms", callId,
          (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000, (System.nanoTime() - t2) / 1_000_000);
      signalingReady = true;
      ringingDevices = delivered.size();
      if (delivered.isEmpty()) {
        log.info("call {} to {}: no device online", callId, peerNumber);
        signals.missedLater();
        end(CallEndReason.UNAVAILABLE, false);
        return;
      }
      log.info("call {} to {}: ringing on {} device(s)", callId, peerNumber, delivered.size());
      fireState();
      trickle.start();
      timers.deadline(manager.timeouts().ring(), () -> {
        if (state == CallState.RINGING) {
          signals.hangup(CallMessage.Hangup.Type.NO_ANSWER, 0);
          end(CallEndReason.NO_ANSWER, false);
        }
      });
    } catch (ParleyException | RuntimeException e) {
      end(CallEndReason.ERROR, false);
      throw e;
    }
  }

  // ---- callee ----

  void ring(int fromDevice, String offerSdp) {
    peerDevice = fromDevice;
    remoteOfferSdp = offerSdp;
    media = new MediaState(false, Sdp.sendsVideo(offerSdp), Optional.empty());
    log.info("call {} from {}: ringing", callId, peerNumber);
    timers.deadline(manager.timeouts().ring().plusSeconds(5), () -> {
      if (state == CallState.RINGING) {
        end(CallEndReason.NO_ANSWER, false);
      }
    });
  }

  void answer(CallOptions options, IceServers ice) throws ParleyException {
    try {
      link.open(options, ice, muted, this);
      link.remote(new RTCSessionDescription(RTCSdpType.OFFER, remoteOfferSdp));
      link.addLocalTrack();
      if (options.video().isPresent()) {
        startVideoOrSayWhy(options.video().get());
      }
      link.answerVideo();
      RTCSessionDescription answer = link.answer();
      media = link.mediaState();
      setState(CallState.CONNECTING);
      signals.answer(answer.sdp);
      signalingReady = true;
      trickle.start();
      timers.deadline(manager.timeouts().connect(), this::connectTimedOut);
      negotiated();
    } catch (ParleyException | RuntimeException e) {
      end(CallEndReason.ERROR, true);
      throw e;
    }
  }

  void decline() {
    signals.hangup(CallMessage.Hangup.Type.DECLINED, 0);
    end(CallEndReason.DECLINED, false);
  }

  void hangup() {
    if (state == CallState.ENDED) {
      return;
    }
    boolean ringing = state == CallState.RINGING;
    if (direction == CallDirection.INCOMING && ringing) {
      decline();
      return;
    }
    end(ringing ? CallEndReason.CANCELLED : CallEndReason.LOCAL_HANGUP, true);
  }

  void setMuted(boolean muted) {
    this.muted = muted;
    link.setMuted(muted);
    fireState();
  }

  // ---- video ----

  /**
   * Starts our video and renegotiates, or switches the source of video already negotiated as sent, which needs no
   * new offer (the sender's track is replaced); a missing camera or screen leaves the call as it is.
   */
  void startVideo(VideoSource source) throws ParleyException {
    requireRunning();
    try {
      link.sendVideo(source);
    } finally {
      refreshMedia();
    }
    if (link.videoOfferDue()) {
      renegotiate();
    } else {
      log.info("call {}: video source switched without renegotiating", callId);
    }
  }

  void stopVideo() throws ParleyException {
    requireRunning();
    link.stopVideo();
    refreshMedia();
    renegotiate();
  }

  private void requireRunning() throws InvalidInputException {
    boolean answered = state == CallState.CONNECTING || state == CallState.CONNECTED
        || state == CallState.RECONNECTING;
    if (!answered || !link.isOpen()) {
      throw new InvalidInputException("Call " + callId + " is not answered (" + state + "): video can change once "
          + "it is");
    }
  }

  /**
   * Opens our video for a call being placed or answered. Without a camera (or a display to share) the call goes on
   * with audio (the media state says why); a file that cannot be read is an error of the caller's input, like a bad WAV file.
   */
  private void startVideoOrSayWhy(VideoSource source) throws CallException {
    try {
      link.sendVideo(source);
    } catch (CallException e) {
      if (!(source instanceof VideoSource.Camera) && !(source instanceof VideoSource.Screen)) {
        throw e;
      }
      log.info("call {}: no video from us: {}", callId, e.getMessage());
    }
  }

  /** Sends a new offer for what changed (our video), or remembers to once the offer that is out is answered. */
  private void renegotiate() {
    if (state == CallState.ENDED || !link.isOpen()) {
      return;
    }
    if (link.offering()) {
      renegotiateAfter = true;
      return;
    }
    try {
      RTCSessionDescription offer = link.offer(false);
      signals.restartOffer(offer.sdp);
    } catch (CallException e) {
      log.warn("call {}: renegotiating failed: {}", callId, e.getMessage());
    }
  }

  /** An offer/answer exchange completed: settle our video, tell listeners, and offer again if something is due. */
  private void negotiated() {
    boolean again = link.videoSettled();
    refreshMedia();
    if (again || renegotiateAfter) {
      renegotiateAfter = false;
      renegotiate();
    }
  }

  private void refreshMedia() {
    MediaState now = link.mediaState();
    if (!now.equals(media)) {
      media = now;
      if (state != CallState.RINGING || direction == CallDirection.OUTGOING) {
        fireState();
      }
    }
  }

  // ---- signaling from the peer ----

  /**
   * A new offer in a running call: an ICE restart (the caller's), or either side changing its video. When it crosses
   * an offer of ours ("glare"), the callee gives way: it withdraws its own offer, answers, and offers again after;
   * the caller ignores the callee's offer and waits for the answer to its own.
   */
  void remoteOffer(int fromDevice, String sdp) {
    if (fromDevice != peerDevice || !link.isOpen() || state == CallState.ENDED || state == CallState.RINGING) {
      return;
    }
    try {
      if (link.offering()) {
        if (direction == CallDirection.OUTGOING) {
          log.info("call {}: the peer's offer crossed ours; ours goes first", callId);
          return;
        }
        link.rollback();
        renegotiateAfter = true;
      }
      link.remote(new RTCSessionDescription(RTCSdpType.OFFER, sdp));
      link.answerVideo();
      RTCSessionDescription answer = link.answer();
      signals.answer(answer.sdp);
      negotiated();
    } catch (CallException e) {
      log.warn("call {}: the peer's new offer failed: {}", callId, e.getMessage());
    }
  }

  void remoteSignal(int fromDevice, CallMessage message) {
    if (state == CallState.ENDED) {
      return;
    }
    switch (message.getKindCase()) {
      case ANSWER -> answered(fromDevice, message.getAnswer().getSdp());
      case ICE -> {
        if (fromDevice != peerDevice) {
          return;
        }
        for (CallMessage.IceCandidate c : message.getIce().getCandidatesList()) {
          link.remoteCandidate(new RTCIceCandidate(c.getSdpMid(), c.getSdpMLineIndex(), c.getCandidate()));
        }
      }
      case HANGUP -> remoteHangup(fromDevice, message.getHangup());
      case BUSY -> {
        if (direction == CallDirection.OUTGOING && state == CallState.RINGING) {
          end(CallEndReason.BUSY, false);
        }
      }
      default -> log.debug("call {}: ignoring {}", callId, message.getKindCase());
    }
  }

  private void answered(int fromDevice, String sdp) {
    if (direction == CallDirection.OUTGOING && state == CallState.RINGING) {
      peerDevice = fromDevice;
      try {
        link.remote(new RTCSessionDescription(RTCSdpType.ANSWER, sdp));
      } catch (CallException e) {
        log.warn("call {}: the answer does not apply: {}", callId, e.getMessage());
        signals.hangup(CallMessage.Hangup.Type.NORMAL, 0);
        end(CallEndReason.ERROR, true);
        return;
      }
      setState(CallState.CONNECTING);
      timers.deadline(manager.timeouts().connect(), this::connectTimedOut);
      if (ringingDevices > 1) {
        signals.hangup(CallMessage.Hangup.Type.ANSWERED_ELSEWHERE, fromDevice);
      }
      negotiated();
    } else if (fromDevice == peerDevice && link.offering()) {
      try {
        link.remote(new RTCSessionDescription(RTCSdpType.ANSWER, sdp)); // to our ICE restart or video offer
        negotiated();
      } catch (CallException e) {
        log.warn("call {}: the answer to our new offer failed: {}", callId, e.getMessage());
      }
    }
  }

  private void remoteHangup(int fromDevice, CallMessage.Hangup hangup) {
    if (direction == CallDirection.INCOMING) {
      if (fromDevice != peerDevice) {
        return;
      }
      switch (hangup.getType()) {
        case ANSWERED_ELSEWHERE -> {
          if (hangup.getDeviceId() != self.deviceId() && state == CallState.RINGING) {
            end(CallEndReason.ANSWERED_ELSEWHERE, false);
          }
        }
        case DECLINED_ELSEWHERE -> {
          if (hangup.getDeviceId() != self.deviceId() && state == CallState.RINGING) {
            end(CallEndReason.DECLINED_ELSEWHERE, false);
          }
        }
        case NO_ANSWER -> end(state == CallState.RINGING ? CallEndReason.NO_ANSWER : CallEndReason.REMOTE_HANGUP,
            false);
        default -> end(state == CallState.RINGING ? CallEndReason.CANCELLED : CallEndReason.REMOTE_HANGUP, false);
      }
    } else {
      if (state == CallState.RINGING) {
        // A callee's device declined (or hung up while ringing): the others stop ringing too.
        if (ringingDevices > 1) {
          signals.hangup(CallMessage.Hangup.Type.DECLINED_ELSEWHERE, fromDevice);
        }
        end(CallEndReason.DECLINED, false);
      } else if (fromDevice == peerDevice) {
        end(CallEndReason.REMOTE_HANGUP, false);
      }
    }
  }

  // ---- the peer connection's events (PeerLink.Events) ----

  @Override
  public void remoteTrack(AudioTrack track) {
    if (state != CallState.ENDED) {
      link.playRemote(track);
    }
  }

  @Override
  public void localCandidate(RTCIceCandidate candidate) {
    if (state != CallState.ENDED) {
      trickle.add(candidate);
    }
  }

  @Override
  public void connectionChanged(RTCPeerConnectionState s) {
    if (state == CallState.ENDED) {
      return;
    }
    log.debug("call {}: peer connection {}", callId, s);
    switch (s) {
      case CONNECTED -> {
        timers.cancelRestart();
        timers.cancelDeadline();
        if (connectedAt == null) {
          connectedAt = manager.clock().millis();
        }
        link.mediaConnected();
        setState(CallState.CONNECTED);
        timers.startStats(this::statsTick);
      }
      case DISCONNECTED -> reconnecting(manager.timeouts().iceRestartAfter());
      case FAILED -> {
        if (connectedAt == null) {
          end(CallEndReason.CONNECTION_FAILED, true);
        } else {
          reconnecting(Duration.ZERO);
        }
      }
      default -> { }
    }
  }

  /** Lost the connection: wait a little for ICE to recover by itself, then the caller restarts ICE. */
  private void reconnecting(Duration restartAfter) {
    if (state != CallState.RECONNECTING) {
      setState(CallState.RECONNECTING);
      timers.deadline(manager.timeouts().reconnect(), () -> {
        if (state == CallState.RECONNECTING) {
          end(CallEndReason.CONNECTION_FAILED, true);
        }
      });
    }
    if (direction == CallDirection.OUTGOING) {
      timers.restartIn(restartAfter, this::restartIce);
    }
  }

  private void restartIce() {
    if (state != CallState.RECONNECTING || !link.isOpen()) {
      return;
    }
    log.info("call {}: restarting ICE", callId);
    try {
      if (link.offering()) {
        link.rollback(); // a video offer that was not answered: it goes again after the restart
        renegotiateAfter = true;
      }
      RTCSessionDescription offer = link.offer(true);
      signals.restartOffer(offer.sdp);
    } catch (CallException e) {
      log.warn("call {}: ICE restart failed: {}", callId, e.getMessage());
    }
  }

  private void connectTimedOut() {
    if (state == CallState.CONNECTING) {
      end(CallEndReason.CONNECTION_FAILED, true);
    }
  }

  // ---- stats ----

  private void statsTick() {
    if (state != CallState.CONNECTED && state != CallState.RECONNECTING) {
      return;
    }
    try {
      CallStats stats = collect(true);
      Call call = snapshot();
      manager.fire(l -> l.statsUpdated(call, stats));
    } catch (CallException e) {
      log.debug("call {}: stats: {}", callId, e.getMessage());
    }
  }

  /** Statistics now; callable from any thread while the call is up. */
  CallStats stats() throws CallException {
    if (!link.isOpen() || state == CallState.ENDED) {
      throw new CallException("Call " + callId + " is not connected (" + state + ")");
    }
    return collect(false);
  }

  private CallStats collect(boolean advance) throws CallException {
    return link.stats(advance, connectedAt, manager.clock().millis());
  }

  // ---- ending ----

  /** Ends the call: tells the peer when {@code notify}, releases everything, records it in the conversation. */
  private void end(CallEndReason reason, boolean notify) {
    if (state == CallState.ENDED) {
      return;
    }
    // An outgoing call tells the peer only once its offer went out; an incoming one always can (e.g. answering
    // failed locally: the caller must stop ringing).
    if (notify && (signalingReady || direction == CallDirection.INCOMING)) {
      signals.hangup(CallMessage.Hangup.Type.NORMAL, 0);
    }
    endReason = reason;
    endedAt = manager.clock().millis();
    state = CallState.ENDED;
    timers.cancelAll();
    trickle.stop();
    link.close();
    Duration duration = snapshot().duration();
    log.info("call {} with {} ended: {} after {} s connected", callId, peerNumber, reason,
        duration.toMillis() / 1000.0);
    if (direction == CallDirection.OUTGOING && !signalingReady) {
      fireState(); // failed before the offer went out: nothing happened that the conversation should show
      return;
    }
    String caller = direction == CallDirection.OUTGOING ? self.accountId() : peerAccount;
    int callerDevice = direction == CallDirection.OUTGOING ? self.deviceId() : peerDevice;
    try {
      manager.port().record(peerAccount, caller, callerDevice, new CallEntry(callId, direction, reason, duration),
          startedAt, CallEntryTexts.describe(direction, reason, duration));
    } catch (RuntimeException e) {
      log.warn("call {}: cannot record it in the conversation: {}", callId, e.toString());
    }
    fireState();
  }

  // ---- small helpers ----

  private void setState(CallState next) {
    if (state != next && state != CallState.ENDED) {
      state = next;
      fireState();
    }
  }

  private void fireState() {
    Call call = snapshot();
    manager.fire(l -> l.stateChanged(call));
  }

  /** Runs {@code task} later on the call thread; what it throws is logged. */
  private void later(Runnable task) {
    try {
      manager.exec().execute(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          log.warn("call {}: {}", callId, e.toString(), e);
        }
      });
    } catch (RejectedExecutionException e) {
      // the manager is closed
    }
  }
}
