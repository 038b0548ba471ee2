package org.parley.client.internal.calls;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SDP edits: Opus is constrained with fmtp parameters (RFC 7587) in our own descriptions, which tell the peer's
 * encoder what we want to receive — 16 kHz audio band, 20 kbps average, in-band FEC.
 */
public final class Sdp {

  /** The Opus parameters Parley asks for. */
  public static final Map<String, String> OPUS_PARAMETERS = opusParameters();

  private static final Pattern OPUS_RTPMAP = Pattern.compile("^a=rtpmap:(\\d+) opus/48000(/2)?$",
      Pattern.CASE_INSENSITIVE);

  private Sdp() {}

  private static Map<String, String> opusParameters() {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("maxplaybackrate", "16000");
    p.put("sprop-maxcapturerate", "16000");
    p.put("maxaveragebitrate", "20000");
    p.put("useinbandfec", "1");
    return Collections.unmodifiableMap(p);
  }

  /** {@code sdp} with the Opus fmtp line(s) carrying {@link #OPUS_PARAMETERS} (added or replacing values). */
  public static String constrainOpus(String sdp) {
    String eol = sdp.contains("\r\n") ? "\r\n" : "\n";
    List<String> lines = new ArrayList<>(List.of(sdp.split("\r?\n")));
    List<String> payloadTypes = new ArrayList<>();
    for (String line : lines) {
      Matcher m = OPUS_RTPMAP.matcher(line);
      if (m.matches()) {
        payloadTypes.add(m.group(1));
      }
    }
    for (String pt : payloadTypes) {
      String prefix = "a=fmtp:" + pt + " ";
      int fmtp = -1;
      for (int i = 0; i < lines.size(); i++) {
        if (lines.get(i).startsWith(prefix)) {
          fmtp = i;
          break;
        }
      }
      if (fmtp >= 0) {
        lines.set(fmtp, prefix + merge(lines.get(fmtp).substring(prefix.length())));
      } else {
        for (int i = 0; i < lines.size(); i++) {
          if (lines.get(i).startsWith("a=rtpmap:" + pt + " ")) {
            lines.add(i + 1, prefix + merge(""));
            break;
          }
        }
      }
    }
    return String.join(eol, lines) + eol;
  }

  private static String merge(String existing) {
    Map<String, String> params = new LinkedHashMap<>();
    for (String part : existing.split(";")) {
      String p = part.trim();
      if (p.isEmpty()) {
        continue;
      }
      int eq = p.indexOf('=');
      params.put(eq < 0 ? p : p.substring(0, eq), eq < 0 ? "" : p.substring(eq + 1));
    }
    params.putAll(OPUS_PARAMETERS);
    StringBuilder out = new StringBuilder();
    params.forEach((k, v) -> out.append(out.length() == 0 ? "" : ";").append(k).append(v.isEmpty() ? "" : "=" + v));
    return out.toString();
  }

  /** The fmtp parameters of Opus in {@code sdp} ("" when there are none). */
  public static String opusFmtp(String sdp) {
    for (String line : sdp.split("\r?\n")) {
      Matcher m = OPUS_RTPMAP.matcher(line);
      if (m.matches()) {
        String prefix = "a=fmtp:" + m.group(1) + " ";
        for (String other : sdp.split("\r?\n")) {
          if (other.startsWith(prefix)) {
            return other.substring(prefix.length());
          }
        }
      }
    }
    return "";
  }

  /**
   * Whether the author of {@code sdp} sends video in it: an m=video section that is not rejected (port 0) whose
   * direction is sendrecv or sendonly (sendrecv when none is given).
   */
  public static boolean sendsVideo(String sdp) {
    boolean inVideo = false;
    boolean sends = false;
    for (String line : sdp.split("\r?\n")) {
      if (line.startsWith("m=")) {
        if (inVideo && sends) {
          return true;
        }
        inVideo = line.startsWith("m=video ") && !line.startsWith("m=video 0 ");
        sends = true;
      } else if (inVideo && (line.equals("a=recvonly") || line.equals("a=inactive"))) {
        sends = false;
      }
    }
    return inVideo && sends;
  }

  /** The video codecs of the first m=video section, in the author's order of preference (e.g. VP8, rtx, ...). */
  public static List<String> videoCodecs(String sdp) {
    List<String> codecs = new ArrayList<>();
    boolean inVideo = false;
    List<String> order = new ArrayList<>();
    Map<String, String> names = new LinkedHashMap<>();
    for (String line : sdp.split("\r?\n")) {
      if (line.startsWith("m=")) {
        if (inVideo) {
          break;
        }
        inVideo = line.startsWith("m=video ");
        if (inVideo) {
          String[] parts = line.split(" ");
          order.addAll(List.of(parts).subList(Math.min(3, parts.length), parts.length));
        }
      } else if (inVideo && line.startsWith("a=rtpmap:")) {
        String rest = line.substring("a=rtpmap:".length());
        int space = rest.indexOf(' ');
        int slash = rest.indexOf('/');
        if (space > 0 && slash > space) {
          names.put(rest.substring(0, space), rest.substring(space + 1, slash));
        }
      }
    }
    for (String pt : order) {
      if (names.containsKey(pt)) {
        codecs.add(names.get(pt));
      }
    }
    return codecs;
  }
}
