package org.parley.client.internal.calls;

import dev.onvoid.webrtc.CreateSessionDescriptionObserver;
import dev.onvoid.webrtc.RTCAnswerOptions;
import dev.onvoid.webrtc.RTCBundlePolicy;
import dev.onvoid.webrtc.RTCConfiguration;
import dev.onvoid.webrtc.RTCIceCandidate;
import dev.onvoid.webrtc.RTCIceServer;
import dev.onvoid.webrtc.RTCIceTransportPolicy;
import dev.onvoid.webrtc.RTCOfferOptions;
import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCRtcpMuxPolicy;
import dev.onvoid.webrtc.RTCSdpType;
import dev.onvoid.webrtc.RTCSessionDescription;
import dev.onvoid.webrtc.SetSessionDescriptionObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.parley.client.api.calls.CallException;
import org.parley.protocol.IceServer;
import org.parley.protocol.IceServers;

/**
 * The SDP side of one call: the peer connection's configuration, our offers and answers (with Opus constrained by
 * {@link Sdp#constrainOpus}), the peer's descriptions, and the peer's ICE candidates, held until its description is
 * set (a callee gets the caller's candidates while it is still ringing, before it has a peer connection). Used on
 * the call thread only.
 */
final class Negotiation {

  private final List<RTCIceCandidate> earlyCandidates = new ArrayList<>();
  private boolean remoteDescriptionSet;

  /** The peer connection's configuration: our ICE servers, relay only if asked, one bundled, RTCP-muxed transport. */
  static RTCConfiguration configuration(IceServers ice, boolean relayOnly) {
    RTCConfiguration config = new RTCConfiguration();
    for (IceServer server : ice.getServersList()) {
      RTCIceServer s = new RTCIceServer();
      s.urls = new ArrayList<>(server.getUrlsList());
      s.username = server.getUsername();
      s.password = server.getCredential();
      config.iceServers.add(s);
    }
    config.iceTransportPolicy = relayOnly ? RTCIceTransportPolicy.RELAY : RTCIceTransportPolicy.ALL;
    config.bundlePolicy = RTCBundlePolicy.MAX_BUNDLE;
    config.rtcpMuxPolicy = RTCRtcpMuxPolicy.REQUIRE;
    return config;
  }

  /** Creates our offer (a new ICE generation when {@code iceRestart}) or answer, constrains Opus, applies it. */
  RTCSessionDescription local(RTCPeerConnection pc, boolean offer, boolean iceRestart) throws CallException {
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
    RTCSessionDescription description = LibWebRtc.await(created, offer ? "creating the offer" : "creating the answer");
    RTCSessionDescription constrained = new RTCSessionDescription(description.sdpType,
        Sdp.constrainOpus(description.sdp));
    CompletableFuture<Void> set = new CompletableFuture<>();
    pc.setLocalDescription(constrained, setObserver(set));
    LibWebRtc.await(set, "applying our description");
    return constrained;
  }

  /** Applies the peer's offer or answer; the first one also releases the candidates held until then. */
  void remote(RTCPeerConnection pc, RTCSessionDescription description) throws CallException {
    CompletableFuture<Void> set = new CompletableFuture<>();
    pc.setRemoteDescription(description, setObserver(set));
    LibWebRtc.await(set, "applying the peer's description");
    if (!remoteDescriptionSet) {
      remoteDescriptionSet = true;
      for (RTCIceCandidate c : earlyCandidates) {
        pc.addIceCandidate(c);
      }
      earlyCandidates.clear();
    }
  }

  /** Withdraws our pending offer (glare: the peer's offer crossed ours and we give way). */
  void rollback(RTCPeerConnection pc) throws CallException {
    CompletableFuture<Void> set = new CompletableFuture<>();
    pc.setLocalDescription(new RTCSessionDescription(RTCSdpType.ROLLBACK, ""), setObserver(set));
    LibWebRtc.await(set, "withdrawing our offer");
  }

  /** A candidate of the peer: added now if its description is set, else held ({@code pc} may not exist yet). */
  void remoteCandidate(RTCPeerConnection pc, RTCIceCandidate candidate) {
    if (remoteDescriptionSet) {
      pc.addIceCandidate(candidate);
    } else {
      earlyCandidates.add(candidate);
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
}
