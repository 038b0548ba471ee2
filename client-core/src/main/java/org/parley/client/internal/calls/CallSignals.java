package org.parley.client.internal.calls;

import dev.onvoid.webrtc.RTCIceCandidate;
import java.util.List;
import org.parley.client.api.ParleyException;
import org.parley.client.internal.proto.CallMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signaling one call sends to its peer's devices, each message naming the call: ephemeral and urgent through the
 * {@link CallPort}, except the stored "missed call" notice. Only the first offer reports a failure to send; for the
 * rest a failure is logged, and the call's timers deal with a peer that never hears.
 */
final class CallSignals {

  private static final Logger log = LoggerFactory.getLogger(CallSignals.class);

  private final CallPort port;
  private final String callId;
  private final long startedAt;
  private final String peerAccount;
  private final String peerNumber;

  CallSignals(CallPort port, String callId, long startedAt, String peerAccount, String peerNumber) {
    this.port = port;
    this.callId = callId;
    this.startedAt = startedAt;
    this.peerAccount = peerAccount;
    this.peerNumber = peerNumber;
  }

  /** The first offer; returns the peer's devices that were online and got it. */
  List<Integer> offer(String sdp) throws ParleyException {
    return port.sendNow(peerAccount, message().setOffer(CallMessage.Offer.newBuilder().setSdp(sdp)).build());
  }

  /** A new offer in a running call (the caller restarts ICE). */
  void restartOffer(String sdp) {
    send(message().setOffer(CallMessage.Offer.newBuilder().setSdp(sdp)).build());
  }

  void answer(String sdp) {
    send(message().setAnswer(CallMessage.Answer.newBuilder().setSdp(sdp)).build());
  }

  /** Our candidates gathered so far, in one message. */
  void candidates(List<RTCIceCandidate> candidates) {
    CallMessage.IceCandidates.Builder batch = CallMessage.IceCandidates.newBuilder();
    for (RTCIceCandidate c : candidates) {
      batch.addCandidates(CallMessage.IceCandidate.newBuilder().setSdpMid(c.sdpMid == null ? "" : c.sdpMid)
          .setSdpMLineIndex(c.sdpMLineIndex).setCandidate(c.sdp));
    }
    send(message().setIce(batch).build());
  }

  /** A hangup of {@code type}; {@code device} names the callee's device for the "…_ELSEWHERE" types, else 0. */
  void hangup(CallMessage.Hangup.Type type, int device) {
    send(message().setHangup(CallMessage.Hangup.newBuilder().setType(type).setDeviceId(device)).build());
  }

  /** The offer reached no device: a stored notice gives the callee a missed-call entry when it connects. */
  void missedLater() {
    port.sendLater(peerAccount, message().setMissed(CallMessage.Missed.getDefaultInstance()).build());
  }

  private CallMessage.Builder message() {
    return CallMessage.newBuilder().setCallId(callId).setStartedAt(startedAt);
  }

  private void send(CallMessage message) {
    try {
      port.sendNow(peerAccount, message);
    } catch (ParleyException e) {
      log.warn("call {}: cannot send {} to {}: {}", callId, message.getKindCase(), peerNumber, e.getMessage());
    }
  }
}
