package org.parley.client.internal.calls;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.PeerConnectionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCBundlePolicy;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceServer;
import dev.onvoid.webrtc.RTCIceTransportPolicy;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCPeerConnectionIceErrorEvent;
import dev.onvoid.webrtc.RTCPeerConnectionState;
import dev.onvoid.webrtc.RTCRtcpMuxPolicy;
import dev.onvoid.webrtc.RTCRtpSender;
import dev.onvoid.webrtc.RTCRtpTransceiver;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.RTCStatsType;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import dev.onvoid.webrtc.media.MediaStreamTrack;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.parley.client.api.ParleyException;
import org.parley.client.api.calls.Call;
import org.parley.client.api.calls.CallDirection;
import org.parley.client.api.calls.CallEndReason;
import org.parley.client.api.calls.CallEntry;
import org.parley.client.api.calls.CallException;
import org.parley.client.api.calls.CallOptions;
import org.parley.client.api.calls.CallState;
import org.parley.client.api.calls.CallStats;
import org.parley.client.api.calls.CandidateType;
import org.parley.client.internal.proto.CallMessage;
import org.parley.protocol.IceServer;
import org.parley.protocol.IceServers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One call: its state machine, its peer connection and its media. Every method runs on the manager's call thread;
 * libwebrtc's callbacks are handed over to it.
 */
final class CallSession {

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
  private boolean relayOnly;

  /** The peer's device in this call: the caller's device (incoming), the device that answered (outgoing). */
  private int peerDevice;
  /** Outgoing: how many of the callee's devices got the offer. */
  private int ringingDevices;
  private String remoteOfferSdp;
  private final List<RTCIceCandidate> remoteCandidates = new ArrayList<>();
  private boolean remoteDescriptionSet;
  private final List<RTCIceCandidate> localCandidates = new ArrayList<>();
  private boolean flushScheduled;
  private boolean signalingReady;

  private CallMedia media;
  private RTCPeerConnection pc;
  private ScheduledFuture<?> timer;
  private ScheduledFuture<?> statsTimer;
  private ScheduledFuture<?> restartTimer;
  private StatsSample lastSample;

  private record StatsSample(long atNanos, long bytesSent, long bytesReceived) {}

  CallSession(DefaultCallManager manager, String callId, String peerNumber, String peerAccount,
      CallDirection direction, long startedAt, CallPort.Self self) {
    this.manager = manager;
    this.callId = callId;
    this.peerNumber = peerNumber;
    this.peerAccount = peerAccount;
    this.direction = direction;
    this.startedAt = startedAt;
    this.self = self;
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
        Optional.ofNullable(endedAt), Optional.ofNullable(endReason), muted);
  }

  long[] mediaTimes() {
    CallMedia m = media;
    return m == null ? new long[2] : new long[] {m.firstSentNanos(), m.firstReceivedNanos()};
  }

  // ---- caller ----

  void dial(CallOptions options, IceServers ice) throws ParleyException {
    relayOnly = options.relayOnly();
    try {
      open(options, ice);
      pc.addTrack(media.localTrack(), List.of("parley"));
      RTCSessionDescription offer = localDescription(true, false);
      List<Integer> delivered = manager.port().sendNow(peerAccount, message()
          .setOffer(CallMessage.Offer.newBuilder().setSdp(offer.sdp)).build());
      signalingReady = true;
      ringingDevices = delivered.size();
      if (delivered.isEmpty()) {
        log.info("call {} to {}: no device online", callId, peerNumber);
        manager.port().sendLater(peerAccount, message().setMissed(CallMessage.Missed.getDefaultInstance()).build());
        end(CallEndReason.UNAVAILABLE, false);
        return;
      }
      log.info("call {} to {}: ringing on {} device(s)", callId, peerNumber, delivered.size());
      fireState();
      flushCandidates();
      schedule(manager.timeouts().ring(), () -> {
        if (state == CallState.RINGING) {
          send(hangup(CallMessage.Hangup.Type.NO_ANSWER, 0));
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
    log.info("call {} from {}: ringing", callId, peerNumber);
    schedule(manager.timeouts().ring().plusSeconds(5), () -> {
      if (state == CallState.RINGING) {
        end(CallEndReason.NO_ANSWER, false);
      }
    });
  }

  void answer(CallOptions options, IceServers ice) throws ParleyException {
    relayOnly = options.relayOnly();
    try {
      open(options, ice);
      setRemote(new RTCSessionDescription(RTCSdpType.OFFER, remoteOfferSdp));
      pc.addTrack(media.localTrack(), List.of("parley"));
      RTCSessionDescription answer = localDescription(false, false);
      setState(CallState.CONNECTING);
      send(message().setAnswer(CallMessage.Answer.newBuilder().setSdp(answer.sdp)).build());
      signalingReady = true;
      flushCandidates();
      schedule(manager.timeouts().connect(), this::connectTimedOut);
    } catch (ParleyException | RuntimeException e) {
      end(CallEndReason.ERROR, true);
      throw e;
    }
  }

  void decline() {
    send(hangup(CallMessage.Hangup.Type.DECLINED, 0));
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
    if (media != null) {
      media.setMuted(muted);
    }
    fireState();
  }

  // ---- signaling from the peer ----

  void remoteOffer(int fromDevice, String sdp) {
    // A new offer in a running call: the caller restarts ICE.
    if (direction != CallDirection.INCOMING || fromDevice != peerDevice || pc == null || state == CallState.ENDED) {
      return;
    }
    try {
      setRemote(new RTCSessionDescription(RTCSdpType.OFFER, sdp));
      RTCSessionDescription answer = localDescription(false, false);
      send(message().setAnswer(CallMessage.Answer.newBuilder().setSdp(answer.sdp)).build());
    } catch (CallException e) {
      log.warn("call {}: ICE restart offer failed: {}", callId, e.getMessage());
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
          RTCIceCandidate candidate = new RTCIceCandidate(c.getSdpMid(), c.getSdpMLineIndex(), c.getCandidate());
          if (remoteDescriptionSet) {
            pc.addIceCandidate(candidate);
          } else {
            remoteCandidates.add(candidate);
          }
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
    if (direction != CallDirection.OUTGOING) {
      return;
    }
    if (state == CallState.RINGING) {
      peerDevice = fromDevice;
      try {
        setRemote(new RTCSessionDescription(RTCSdpType.ANSWER, sdp));
      } catch (CallException e) {
        log.warn("call {}: the answer does not apply: {}", callId, e.getMessage());
        send(hangup(CallMessage.Hangup.Type.NORMAL, 0));
        end(CallEndReason.ERROR, true);
        return;
      }
      setState(CallState.CONNECTING);
      cancelTimer();
      schedule(manager.timeouts().connect(), this::connectTimedOut);
      if (ringingDevices > 1) {
        send(hangup(CallMessage.Hangup.Type.ANSWERED_ELSEWHERE, fromDevice));
      }
    } else if (fromDevice == peerDevice && pc != null) {
      try {
        setRemote(new RTCSessionDescription(RTCSdpType.ANSWER, sdp)); // after our ICE restart offer
      } catch (CallException e) {
        log.warn("call {}: ICE restart answer failed: {}", callId, e.getMessage());
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
          send(hangup(CallMessage.Hangup.Type.DECLINED_ELSEWHERE, fromDevice));
        }
        end(CallEndReason.DECLINED, false);
      } else if (fromDevice == peerDevice) {
        end(CallEndReason.REMOTE_HANGUP, false);
      }
    }
  }

  // ---- peer connection ----

  private void open(CallOptions options, IceServers ice) throws CallException {
    media = CallMedia.open(options.audio());
    media.setMuted(muted);
    RTCConfiguration config = new RTCConfiguration();
    for (IceServer server : ice.getServersList()) {
      RTCIceServer s = new RTCIceServer();
      s.urls = new ArrayList<>(server.getUrlsList());
      s.username = server.getUsername();
      s.password = server.getCredential();
      config.iceServers.add(s);
    }
    config.iceTransportPolicy = options.relayOnly() ? RTCIceTransportPolicy.RELAY : RTCIceTransportPolicy.ALL;
    config.bundlePolicy = RTCBundlePolicy.MAX_BUNDLE;
    config.rtcpMuxPolicy = RTCRtcpMuxPolicy.REQUIRE;
    pc = media.factory().createPeerConnection(config, new Observer());
    if (pc == null) {
      throw new CallException("libwebrtc could not create a peer connection");
    }
  }

  private final class Observer implements PeerConnectionObserver {
    @Override
    public void onIceCandidate(RTCIceCandidate candidate) {
      later(() -> localCandidate(candidate));
    }

    @Override
    public void onIceCandidateError(RTCPeerConnectionIceErrorEvent event) {
      later(() -> log.warn("call {}: ICE server {} answered {} {}", callId, event.getUrl(), event.getErrorCode(),
          event.getErrorText()));
    }

    @Override
    public void onConnectionChange(RTCPeerConnectionState s) {
      later(() -> connectionChanged(s));
    }

    @Override
    public void onTrack(RTCRtpTransceiver transceiver) {
      MediaStreamTrack track = transceiver.getReceiver().getTrack();
      if (track instanceof AudioTrack audio) {
        later(() -> {
          if (media != null && state != CallState.ENDED) {
            media.remoteTrack(audio);
          }
        });
      }
    }
  }

  private void later(Runnable task) {
    try {
      manager.exec().execute(() -> {
        try {
          task.run();
        } catch (RuntimeException e) {
          log.warn("call {}: {}", callId, e.toString(), e);
        }
      });
    } catch (java.util.concurrent.RejectedExecutionException e) {
      // the manager is closed
    }
  }

  private void localCandidate(RTCIceCandidate candidate) {
    if (state == CallState.ENDED) {
      return;
    }
    localCandidates.add(candidate);
    if (signalingReady && !flushScheduled) {
      flushScheduled = true;
      later(this::flushCandidates);
    }
  }

  /** Sends the candidates gathered so far in one message (candidates that arrive meanwhile go in the next). */
  private void flushCandidates() {
    flushScheduled = false;
    if (localCandidates.isEmpty() || state == CallState.ENDED || !signalingReady) {
      return;
    }
    CallMessage.IceCandidates.Builder batch = CallMessage.IceCandidates.newBuilder();
    for (RTCIceCandidate c : localCandidates) {
      batch.addCandidates(CallMessage.IceCandidate.newBuilder().setSdpMid(c.sdpMid == null ? "" : c.sdpMid)
          .setSdpMLineIndex(c.sdpMLineIndex).setCandidate(c.sdp));
    }
    localCandidates.clear();
    send(message().setIce(batch).build());
  }

  private void connectionChanged(RTCPeerConnectionState s) {
    if (state == CallState.ENDED) {
      return;
    }
    log.debug("call {}: peer connection {}", callId, s);
    switch (s) {
      case CONNECTED -> {
        cancelRestart();
        cancelTimer();
        if (connectedAt == null) {
          connectedAt = manager.clock().millis();
        }
        media.connected();
        setState(CallState.CONNECTED);
        if (statsTimer == null) {
          statsTimer = manager.exec().scheduleAtFixedRate(this::statsTick, 1, 1, TimeUnit.SECONDS);
        }
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
      cancelTimer();
      schedule(manager.timeouts().reconnect(), () -> {
        if (state == CallState.RECONNECTING) {
          end(CallEndReason.CONNECTION_FAILED, true);
        }
      });
    }
    if (direction == CallDirection.OUTGOING && restartTimer == null) {
      restartTimer = manager.exec().schedule(this::restartIce, restartAfter.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void restartIce() {
    restartTimer = null;
    if (state != CallState.RECONNECTING || pc == null) {
      return;
    }
    log.info("call {}: restarting ICE", callId);
    try {
      RTCSessionDescription offer = localDescription(true, true);
      send(message().setOffer(CallMessage.Offer.newBuilder().setSdp(offer.sdp)).build());
    } catch (CallException e) {
      log.warn("call {}: ICE restart failed: {}", callId, e.getMessage());
    }
  }

  private void connectTimedOut() {
    if (state == CallState.CONNECTING) {
      end(CallEndReason.CONNECTION_FAILED, true);
    }
  }

  private RTCSessionDescription localDescription(boolean offer, boolean iceRestart) throws CallException {
    CompletableFuture<RTCSessionDescription> created = new CompletableFuture<>();
    CreateSessionDescriptionObserver observer = new CreateSessionDescriptionObserver() {
      @Override
      public void onSuccess(RTCSessionDescription description) {
        created.complete(description);
      }

      @Override
      public void onFailure(String error) {
        created.completeExceptionally(new CallException(error));
      }
    };
    if (offer) {
      RTCOfferOptions options = new RTCOfferOptions();
      options.iceRestart = iceRestart;
      pc.createOffer(options, observer);
    } else {
      pc.createAnswer(new RTCAnswerOptions(), observer);
    }
    RTCSessionDescription description = await(created, offer ? "creating the offer" : "creating the answer");
    RTCSessionDescription constrained = new RTCSessionDescription(description.sdpType,
        Sdp.constrainOpus(description.sdp));
    CompletableFuture<Void> set = new CompletableFuture<>();
    pc.setLocalDescription(constrained, setObserver(set));
    await(set, "applying our description");
    return constrained;
  }

  private void setRemote(RTCSessionDescription description) throws CallException {
    CompletableFuture<Void> set = new CompletableFuture<>();
    pc.setRemoteDescription(description, setObserver(set));
    await(set, "applying the peer's description");
    if (!remoteDescriptionSet) {
      remoteDescriptionSet = true;
      for (RTCIceCandidate c : remoteCandidates) {
        pc.addIceCandidate(c);
      }
      remoteCandidates.clear();
    }
  }

  private static SetSessionDescriptionObserver setObserver(CompletableFuture<Void> done) {
    return new SetSessionDescriptionObserver() {
      @Override
      public void onSuccess() {
        done.complete(null);
      }

      @Override
      public void onFailure(String error) {
        done.completeExceptionally(new CallException(error));
      }
    };
  }

  private static <T> T await(CompletableFuture<T> future, String what) throws CallException {
    try {
      return future.get(10, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new CallException("libwebrtc failed " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new CallException("libwebrtc did not finish " + what + " within 10 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CallException("Interrupted while " + what, e);
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
    if (pc == null || state == CallState.ENDED) {
      throw new CallException("Call " + callId + " is not connected (" + state + ")");
    }
    return collect(false);
  }

  private synchronized CallStats collect(boolean advance) throws CallException {
    RTCPeerConnection p = pc;
    if (p == null) {
      throw new CallException("Call " + callId + " has no connection");
    }
    CompletableFuture<RTCStatsReport> report = new CompletableFuture<>();
    p.getStats(report::complete);
    Map<String, RTCStats> all = await(report, "collecting stats").getStats();
    long now = System.nanoTime();
    RTCStats pair = null;
    RTCStats outbound = null;
    RTCStats inbound = null;
    for (RTCStats s : all.values()) {
      if (s.getType() == RTCStatsType.TRANSPORT) {
        Object selected = s.getAttributes().get("selectedCandidatePairId");
        if (selected != null && all.containsKey(selected.toString())) {
          pair = all.get(selected.toString());
        }
      } else if (s.getType() == RTCStatsType.OUTBOUND_RTP && "audio".equals(s.getAttributes().get("kind"))) {
        outbound = s;
      } else if (s.getType() == RTCStatsType.INBOUND_RTP && "audio".equals(s.getAttributes().get("kind"))) {
        inbound = s;
      }
    }
    if (pair == null) {
      for (RTCStats s : all.values()) {
        if (s.getType() == RTCStatsType.CANDIDATE_PAIR && Boolean.TRUE.equals(s.getAttributes().get("nominated"))
            && "succeeded".equals(String.valueOf(s.getAttributes().get("state")))) {
          pair = s;
        }
      }
    }
    RTCStats local = pair == null ? null : all.get(String.valueOf(pair.getAttributes().get("localCandidateId")));
    RTCStats remote = pair == null ? null : all.get(String.valueOf(pair.getAttributes().get("remoteCandidateId")));
    RTCStats codec = outbound == null ? null : all.get(String.valueOf(outbound.getAttributes().get("codecId")));
    long bytesSent = number(outbound, "bytesSent");
    long bytesReceived = number(inbound, "bytesReceived");
    long packetsSent = number(outbound, "packetsSent");
    long packetsReceived = number(inbound, "packetsReceived");
    long packetsLost = number(inbound, "packetsLost");
    StatsSample previous = lastSample;
    long outRate;
    long inRate;
    if (previous != null && now - previous.atNanos() > 100_000_000L) {
      double seconds = (now - previous.atNanos()) / 1e9;
      outRate = Math.round((bytesSent - previous.bytesSent()) * 8 / seconds);
      inRate = Math.round((bytesReceived - previous.bytesReceived()) * 8 / seconds);
    } else {
      double seconds = connectedAt == null ? 0 : (manager.clock().millis() - connectedAt) / 1000.0;
      outRate = seconds <= 0 ? 0 : Math.round(bytesSent * 8 / seconds);
      inRate = seconds <= 0 ? 0 : Math.round(bytesReceived * 8 / seconds);
    }
    if (advance || previous == null) {
      lastSample = new StatsSample(now, bytesSent, bytesReceived);
    }
    double loss = packetsReceived + packetsLost <= 0 ? 0 : (double) packetsLost / (packetsReceived + packetsLost);
    return new CallStats(
        Duration.ofNanos(Math.round(decimal(pair, "currentRoundTripTime") * 1e9)),
        loss,
        Duration.ofNanos(Math.round(decimal(inbound, "jitter") * 1e9)),
        outRate, inRate, packetsSent, packetsReceived, packetsLost,
        codec == null ? "" : codec.getAttributes().get("mimeType") + " " + codec.getAttributes().get("clockRate"),
        codec == null ? "" : String.valueOf(codec.getAttributes().getOrDefault("sdpFmtpLine", "")),
        candidateType(local), candidateType(remote), address(local), address(remote));
  }

  private static long number(RTCStats stats, String key) {
    Object v = stats == null ? null : stats.getAttributes().get(key);
    return v instanceof Number n ? n.longValue() : 0;
  }

  private static double decimal(RTCStats stats, String key) {
    Object v = stats == null ? null : stats.getAttributes().get(key);
    return v instanceof Number n ? n.doubleValue() : 0;
  }

  private static CandidateType candidateType(RTCStats candidate) {
    Object type = candidate == null ? null : candidate.getAttributes().get("candidateType");
    if (type == null) {
      return CandidateType.UNKNOWN;
    }
    return switch (type.toString()) {
      case "host" -> CandidateType.HOST;
      case "srflx" -> CandidateType.SRFLX;
      case "prflx" -> CandidateType.PRFLX;
      case "relay" -> CandidateType.RELAY;
      default -> CandidateType.UNKNOWN;
    };
  }

  private static String address(RTCStats candidate) {
    if (candidate == null) {
      return "";
    }
    Object ip = candidate.getAttributes().get("address");
    if (ip == null) {
      ip = candidate.getAttributes().get("ip");
    }
    if (ip == null) {
      ip = "?"; // libwebrtc hides a peer-reflexive candidate's address
    }
    Object port = candidate.getAttributes().get("port");
    return ip + ":" + port;
  }

  // ---- ending ----

  /** Ends the call: tells the peer when {@code notify}, releases everything, records it in the conversation. */
  private void end(CallEndReason reason, boolean notify) {
    if (state == CallState.ENDED) {
      return;
    }
    if (notify && signalingReady) {
      send(hangup(CallMessage.Hangup.Type.NORMAL, 0));
    }
    endReason = reason;
    endedAt = manager.clock().millis();
    state = CallState.ENDED;
    cancelTimer();
    cancelRestart();
    if (statsTimer != null) {
      statsTimer.cancel(false);
    }
    release();
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
          startedAt, describe(direction, reason, duration));
    } catch (RuntimeException e) {
      log.warn("call {}: cannot record it in the conversation: {}", callId, e.toString());
    }
    fireState();
  }

  private synchronized void release() {
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

  /** The text of a call entry in the conversation. */
  static String describe(CallDirection direction, CallEndReason reason, Duration duration) {
    boolean out = direction == CallDirection.OUTGOING;
    if (!duration.isZero()) {
      long s = duration.toSeconds();
      return (out ? "Outgoing call" : "Incoming call") + String.format(" (%d:%02d)", s / 60, s % 60);
    }
    return switch (reason) {
      case DECLINED -> out ? "Call declined" : "Declined call";
      case BUSY -> out ? "Call not answered: busy" : "Missed call (busy)";
      case NO_ANSWER -> out ? "Call not answered" : "Missed call";
      case CANCELLED -> out ? "Cancelled call" : "Missed call";
      case UNAVAILABLE -> out ? "Call not answered: not reachable" : "Missed call";
      case ANSWERED_ELSEWHERE -> "Call answered on another device";
      case DECLINED_ELSEWHERE -> "Call declined on another device";
      case CONNECTION_FAILED -> "Call failed: could not connect";
      default -> out ? "Outgoing call" : "Incoming call";
    };
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

  private CallMessage.Builder message() {
    return CallMessage.newBuilder().setCallId(callId).setStartedAt(startedAt);
  }

  private CallMessage hangup(CallMessage.Hangup.Type type, int device) {
    return message().setHangup(CallMessage.Hangup.newBuilder().setType(type).setDeviceId(device)).build();
  }

  private void send(CallMessage message) {
    try {
      manager.port().sendNow(peerAccount, message);
    } catch (ParleyException e) {
      log.warn("call {}: cannot send {} to {}: {}", callId, message.getKindCase(), peerNumber, e.getMessage());
    }
  }

  private void schedule(Duration delay, Runnable task) {
    cancelTimer();
    timer = manager.exec().schedule(() -> {
      try {
        task.run();
      } catch (RuntimeException e) {
        log.warn("call {}: {}", callId, e.toString(), e);
      }
    }, delay.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private void cancelRestart() {
    if (restartTimer != null) {
      restartTimer.cancel(false);
      restartTimer = null;
    }
  }
}
