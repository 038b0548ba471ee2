package org.parley.client.internal.calls;

import dev.onvoid.webrtc.RTCPeerConnection;
import dev.onvoid.webrtc.RTCStats;
import dev.onvoid.webrtc.RTCStatsReport;
import dev.onvoid.webrtc.RTCStatsType;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToLongFunction;
import org.parley.client.api.calls.CallException;
import org.parley.client.api.calls.CallStats;
import org.parley.client.api.calls.CandidateType;
import org.parley.client.api.calls.VideoStats;

/**
 * A call's statistics from libwebrtc's report: the selected candidate pair (round trip, both candidates), the audio
 * RTP streams (packets, loss, jitter), the video streams (size, frame rate, why the sender adapted), the codecs,
 * and bitrates over the time since the previous sample (or since the call connected, for the first). One per call; the caller serializes reads with closing the connection.
 */
final class CallStatsReader {

  private record Sample(long atNanos, long bytesSent, long bytesReceived, long videoBytesSent,
      long videoBytesReceived) {}

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
    RTCStats videoOut = null;
    RTCStats videoIn = null;
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
      } else if (s.getType() == RTCStatsType.OUTBOUND_RTP && "video".equals(s.getAttributes().get("kind"))) {
        videoOut = s;
      } else if (s.getType() == RTCStatsType.INBOUND_RTP && "video".equals(s.getAttributes().get("kind"))) {
        videoIn = s;
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
    long videoBytesSent = number(videoOut, "bytesSent");
    long videoBytesReceived = number(videoIn, "bytesReceived");
    Sample previous = lastSample;
    Sample current = new Sample(now, bytesSent, bytesReceived, videoBytesSent, videoBytesReceived);
    double since = connectedAt == null ? 0 : (nowMillis - connectedAt) / 1000.0;
    long outRate = rate(previous, current, since, Sample::bytesSent);
    long inRate = rate(previous, current, since, Sample::bytesReceived);
    if (advance || previous == null) {
      lastSample = current;
    }
    Optional<VideoStats> video = Optional.empty();
    if (videoOut != null || videoIn != null) {
      RTCStats videoCodec = all.get(String.valueOf((videoOut != null ? videoOut : videoIn).getAttributes()
          .get("codecId")));
      long videoLost = number(videoIn, "packetsLost");
      long videoReceived = number(videoIn, "packetsReceived");
      video = Optional.of(new VideoStats(
          videoCodec == null ? "" : String.valueOf(videoCodec.getAttributes().get("mimeType")),
          (int) number(videoOut, "frameWidth"), (int) number(videoOut, "frameHeight"),
          decimal(videoOut, "framesPerSecond"),
          (int) number(videoIn, "frameWidth"), (int) number(videoIn, "frameHeight"),
          decimal(videoIn, "framesPerSecond"), number(videoIn, "framesDecoded"),
          rate(previous, current, since, Sample::videoBytesSent),
          rate(previous, current, since, Sample::videoBytesReceived),
          videoReceived + videoLost <= 0 ? 0 : (double) videoLost / (videoReceived + videoLost),
          videoOut == null ? "none" : String.valueOf(videoOut.getAttributes()
              .getOrDefault("qualityLimitationReason", "none"))));
    }
    double loss = packetsReceived + packetsLost <= 0 ? 0 : (double) packetsLost / (packetsReceived + packetsLost);
    return new CallStats(
        Duration.ofNanos(Math.round(decimal(pair, "currentRoundTripTime") * 1e9)),
        loss,
        Duration.ofNanos(Math.round(decimal(inbound, "jitter") * 1e9)),
        outRate, inRate, packetsSent, packetsReceived, packetsLost,
        codec == null ? "" : codec.getAttributes().get("mimeType") + " " + codec.getAttributes().get("clockRate"),
        codec == null ? "" : String.valueOf(codec.getAttributes().getOrDefault("sdpFmtpLine", "")),
        candidateType(local), candidateType(remote), address(local), address(remote), video);
  }

  /** Bits per second of one counter since the previous sample, or (the first time) since the call connected. */
  private static long rate(Sample previous, Sample current, double secondsSinceConnected,
      ToLongFunction<Sample> bytes) {
    if (previous != null && current.atNanos() - previous.atNanos() > 100_000_000L) {
      double seconds = (current.atNanos() - previous.atNanos()) / 1e9;
      return Math.round((bytes.applyAsLong(current) - bytes.applyAsLong(previous)) * 8 / seconds);
    }
    return secondsSinceConnected <= 0 ? 0 : Math.round(bytes.applyAsLong(current) * 8 / secondsSinceConnected);
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
