package org.parley.client.internal.calls;

import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.RTCStatsType;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.parley.client.api.calls.CallException;
import org.parley.client.api.calls.CallStats;
import org.parley.client.api.calls.CandidateType;

/**
 * A call's statistics from libwebrtc's report: the selected candidate pair (round trip, both candidates), the audio
 * RTP streams (packets, loss, jitter), the codec, and bitrates over the time since the previous sample (or since
 * the call connected, for the first). One per call; the caller serializes reads with closing the connection.
 */
final class CallStatsReader {

  private record Sample(long atNanos, long bytesSent, long bytesReceived) {}

  private Sample lastSample;

  /**
   * Reads the statistics now. {@code advance}: this read starts the next rate interval (the once-a-second tick);
   * reads on demand leave the interval alone.
   */
  CallStats read(RTCPeerConnection pc, boolean advance, Long connectedAt, long nowMillis) throws CallException {
    CompletableFuture<RTCStatsReport> report = new CompletableFuture<>();
    pc.getStats(report::complete);
    Map<String, RTCStats> all = LibWebRtc.await(report, "collecting stats").getStats();
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
    Sample previous = lastSample;
    long outRate;
    long inRate;
    if (previous != null && now - previous.atNanos() > 100_000_000L) {
      double seconds = (now - previous.atNanos()) / 1e9;
      outRate = Math.round((bytesSent - previous.bytesSent()) * 8 / seconds);
      inRate = Math.round((bytesReceived - previous.bytesReceived()) * 8 / seconds);
    } else {
      double seconds = connectedAt == null ? 0 : (nowMillis - connectedAt) / 1000.0;
      outRate = seconds <= 0 ? 0 : Math.round(bytesSent * 8 / seconds);
      inRate = seconds <= 0 ? 0 : Math.round(bytesReceived * 8 / seconds);
    }
    if (advance || previous == null) {
      lastSample = new Sample(now, bytesSent, bytesReceived);
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
}
