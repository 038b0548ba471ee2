package org.parley.client.api.calls;

import java.time.Duration;
import java.util.Optional;

/**
 * A connected call's statistics, from libwebrtc's stats (the audio stream's, and the video streams' apart).
 *
 * @param roundTripTime current RTT of the selected candidate pair (zero until measured)
 * @param packetLoss fraction of inbound audio packets lost so far (0…1)
 * @param jitter inbound jitter
 * @param outboundBitrate bits per second of audio payload we send (over the last interval)
 * @param inboundBitrate bits per second of audio payload we receive (over the last interval)
 * @param packetsSent audio packets sent
 * @param packetsReceived audio packets received
 * @param packetsLost audio packets lost
 * @param codec the negotiated send codec, e.g. {@code audio/opus 48000}
 * @param codecParameters its SDP fmtp line, e.g. {@code maxplaybackrate=16000;...;useinbandfec=1}
 * @param localCandidate type of our candidate in the selected pair
 * @param remoteCandidate type of the peer's candidate in the selected pair
 * @param localAddress our address:port in the selected pair
 * @param remoteAddress the peer's address:port in the selected pair
 * @param video the video streams, when the call carries video
 */
public record CallStats(Duration roundTripTime, double packetLoss, Duration jitter, long outboundBitrate,
    long inboundBitrate, long packetsSent, long packetsReceived, long packetsLost, String codec,
    String codecParameters, CandidateType localCandidate, CandidateType remoteCandidate, String localAddress,
    String remoteAddress, Optional<VideoStats> video) {

  /** Statistics of an audio-only call. */
  public CallStats(Duration roundTripTime, double packetLoss, Duration jitter, long outboundBitrate,
      long inboundBitrate, long packetsSent, long packetsReceived, long packetsLost, String codec,
      String codecParameters, CandidateType localCandidate, CandidateType remoteCandidate, String localAddress,
      String remoteAddress) {
    this(roundTripTime, packetLoss, jitter, outboundBitrate, inboundBitrate, packetsSent, packetsReceived,
        packetsLost, codec, codecParameters, localCandidate, remoteCandidate, localAddress, remoteAddress,
        Optional.empty());
  }
}
