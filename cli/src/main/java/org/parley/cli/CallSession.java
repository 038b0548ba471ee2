package org.parley.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.parley.client.api.AuthenticationException;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.NetworkException;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import org.parley.client.api.ParleyListener;
import org.parley.client.api.calls.AudioIo;
import org.parley.client.api.calls.Call;
import org.parley.client.api.calls.CallListener;
import org.parley.client.api.calls.CallOptions;
import org.parley.client.api.calls.CallState;
import org.parley.client.api.calls.CallStats;
import org.parley.client.api.calls.I420Frame;
import org.parley.client.api.calls.MediaState;
import org.parley.client.api.calls.VideoFrameListener;
import org.parley.client.api.calls.VideoSource;
import picocli.CommandLine.Option;

/**
 * What {@code call} and {@code answer} share: audio options, the event lines they print, and running a call until
 * it has been connected for the requested time or ends.
 *
 * <p>Output, one event per line: {@code EVENT key=value ...} (or a JSON object with {@code "type": EVENT} with
 * {@code --json}). Events: {@code ringing}, {@code incoming}, {@code connecting}, {@code connected} (with
 * {@code connect_ms} since dialling or answering, {@code ice_ms} since the answer, and the selected candidate pair: {@code local}/{@code remote} = host, srflx, prflx or relay),
 * {@code reconnecting}, {@code stats} (once a second; {@code video_*} fields when video flows), {@code media}
 * (video on either side changed: {@code local_video}, {@code remote_video}, {@code problem}),
 * {@code first_video_frame} (its size, {@code since_dial_ms}, {@code since_connected_ms}), {@code ended} (with
 * {@code reason}, {@code duration_s} and {@code video_frames_received}).
 */
abstract class CallSession {

  @Option(names = "--play", paramLabel = "IN.wav",
      description = "Send this WAV file (16-bit PCM, mono or stereo, 8-48 kHz); silence after its end and without it.")
  Path play;

  @Option(names = "--record", paramLabel = "OUT.wav",
      description = "Write what the other side sends to this WAV file (16 kHz mono) when the call ends.")
  Path record;

  @Option(names = "--seconds", paramLabel = "N", defaultValue = "10",
      description = "Hang up after the call has been connected this long (default ${DEFAULT-VALUE}).")
  double seconds;

  @Option(names = "--relay-only",
      description = "Use only TURN relay candidates (ICE transport policy relay).")
  boolean relayOnly;

  @Option(names = "--system-audio",
      description = "Use the system's microphone and speaker instead of WAV files (needs a sound system).")
  boolean systemAudio;

  @Option(names = "--video-source", paramLabel = "SOURCE",
      description = "Send video: 'pattern' (colour bars and a frame counter; 'pattern:ID' marks it with ID 0-255), "
          + "a .y4m file (4:2:0, looped), 'camera' (the first; 'camera:ID'), or 'screen' (the primary screen; "
          + "'screen:X,Y,WxH' an area of it, e.g. a window; needs a display). Without it no video is sent.")
  String videoSource;

  @Option(names = "--video-size", paramLabel = "WxH", defaultValue = "640x480",
      description = "Size of the pattern or camera (default ${DEFAULT-VALUE}, at most 1280x720).")
  String videoSize;

  @Option(names = "--video-fps", paramLabel = "N",
      description = "Frame rate of the pattern or camera (default 30, at most 30), or of the screen (default 10, "
          + "at most 15).")
  Integer videoFps;

  @Option(names = "--record-video", paramLabel = "OUT.y4m",
      description = "Write the other side's video to this y4m file (4:2:0, 30 frames per second of call time).")
  Path recordVideo;

  @Option(names = "--no-video",
      description = "Take no video from the other side either (a callee declines video: an audio-only call).")
  boolean noVideo;

  @Option(names = "--json", description = "One JSON object per line instead of key=value lines.")
  boolean json;

  @Option(names = "--no-stats", description = "Do not print a stats line every second.")
  boolean noStats;

  /** Set once a call command touched libwebrtc (see {@link ParleyCli#main}). */
  static volatile boolean usedLibwebrtc;

  final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
  private final AtomicLong remoteFrames = new AtomicLong();
  private volatile String authFailure;

  CallOptions options() throws InvalidInputException {
    AudioIo audio = systemAudio ? AudioIo.systemDefault() : AudioIo.wav(play, record);
    if (noVideo && (videoSource != null || recordVideo != null)) {
      throw new InvalidInputException("--no-video cannot go with --video-source or --record-video");
    }
    try {
      Optional<VideoSource> video = videoSource == null ? Optional.empty() : Optional.of(videoSource());
      // Decoding video nobody looks at costs CPU: take the peer's video only when it is sent back or recorded.
      boolean receive = !noVideo && (video.isPresent() || recordVideo != null);
      return new CallOptions(audio, relayOnly, video, receive, Optional.ofNullable(recordVideo));
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage());
    }
  }

  private VideoSource videoSource() throws InvalidInputException {
    String[] parts = videoSource.split(":", 2);
    String kind = parts[0];
    if (kind.equals("screen")) {
      return screen(parts.length > 1 ? parts[1] : null);
    }
    int videoFps = this.videoFps == null ? VideoSource.MAX_FPS : this.videoFps;
    if (kind.equals("pattern") || kind.equals("camera")) {
      Matcher size = Pattern.compile("(\\d{1,5})x(\\d{1,5})").matcher(videoSize);
      if (!size.matches()) {
        throw new InvalidInputException("--video-size must look like 640x480, not '" + videoSize + "'");
      }
      int w = Integer.parseInt(size.group(1));
      int h = Integer.parseInt(size.group(2));
      if (kind.equals("camera")) {
        return new VideoSource.Camera(parts.length > 1 ? Optional.of(parts[1]) : Optional.empty(), w, h, videoFps);
      }
      int id;
      try {
        id = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
      } catch (NumberFormatException e) {
        throw new InvalidInputException("The pattern's id must be a number 0-255, not '" + parts[1] + "'");
      }
      return new VideoSource.Pattern(w, h, videoFps, id);
    }
    Path file = Path.of(videoSource);
    if (!videoSource.endsWith(".y4m") || !Files.isRegularFile(file)) {
      throw new InvalidInputException("--video-source must be pattern, camera, screen or an existing .y4m file, not '"
          + videoSource + "'");
    }
    return VideoSource.y4m(file);
  }

  /** {@code screen} or {@code screen:X,Y,WxH}. */
  private VideoSource screen(String area) throws InvalidInputException {
    int fps = videoFps == null ? VideoSource.SCREEN_FPS : videoFps;
    if (area == null) {
      return new VideoSource.Screen(Optional.empty(), fps);
    }
    Matcher m = Pattern.compile("(-?\\d{1,5}),(-?\\d{1,5}),(\\d{1,5})x(\\d{1,5})").matcher(area);
    if (!m.matches()) {
      throw new InvalidInputException("A screen area looks like screen:X,Y,WxH (e.g. screen:0,0,800x600), not 'screen:"
          + area + "'");
    }
    return new VideoSource.Screen(Optional.of(new VideoSource.Area(Integer.parseInt(m.group(1)),
        Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)), Integer.parseInt(m.group(4)))), fps);
  }

  /** Connects and waits until the WebSocket is up (call signaling needs it). */
  void connect(ParleyClient client, int timeoutSeconds) throws ParleyException, InterruptedException {
    BlockingQueue<Boolean> connected = new LinkedBlockingQueue<>();
    client.addListener(new ParleyListener() {
      @Override
      public void connection(boolean up, String reason) {
        if (up) {
          connected.add(true);
        } else if (reason.startsWith("authentication failed")) {
          authFailure = reason;
          connected.add(false);
        }
      }
    });
    client.calls().addVideoListener(new VideoFrameListener() {
      @Override
      public void remoteFrame(String callId, I420Frame frame) {
        if (remoteFrames.getAndIncrement() == 0) {
          events.add(new FirstFrame(callId, frame.width(), frame.height(), System.nanoTime(),
              System.currentTimeMillis()));
        }
      }
    });
    client.calls().addListener(new CallListener() {
      @Override
      public void incomingCall(Call call) {
        events.add(new Incoming(call));
      }

      @Override
      public void stateChanged(Call call) {
        events.add(call);
      }

      @Override
      public void statsUpdated(Call call, CallStats stats) {
        events.add(stats);
      }
    });
    usedLibwebrtc = true;
    client.connect();
    Boolean up = connected.poll(timeoutSeconds, TimeUnit.SECONDS);
    if (up == null) {
      throw new NetworkException("Could not connect to the server within " + timeoutSeconds + " s");
    }
    if (!up) {
      throw new AuthenticationException("The server refused this device's credentials ("
          + authFailure + ")");
    }
    // Offers are only delivered live: drain what was queued while we were away first.
    client.awaitQueueDrained(Duration.ofSeconds(5));
  }

  record Incoming(Call call) {}

  /** The first remote video frame; {@code atMillis} compares with the call's {@code connectedAt}. */
  record FirstFrame(String callId, int width, int height, long atNanos, long atMillis) {}

  /**
   * Follows {@code callId} from now until it ends: prints events, hangs up after {@link #seconds} connected.
   * Returns the exit code (0 when the call was connected).
   */
  int follow(ParleyClient client, String callId, long dialedNanos) throws Exception {
    long connectedNanos = 0;
    long connectingNanos = 0;
    boolean wasConnected = false;
    MediaState media = null;
    FirstFrame firstFrame = null;
    while (true) {
      long wait = 200;
      Object event = events.poll(wait, TimeUnit.MILLISECONDS);
      if (connectedNanos != 0 && System.nanoTime() - connectedNanos >= (long) (seconds * 1e9)) {
        client.calls().hangup(callId);
        connectedNanos = 0;
      }
      if (event instanceof CallStats stats && !noStats) {
        emit("stats", stats(stats));
      } else if (event instanceof FirstFrame first && first.callId().equals(callId)) {
        // The frame can overtake the CONNECTED event on its way here: it is told once the call's connectedAt is known.
        firstFrame = first;
        Optional<Call> now = client.calls().call(callId);
        if (now.isPresent() && now.get().connectedAt().isPresent()) {
          emitFirstFrame(first, dialedNanos, now.get().connectedAt().get());
          firstFrame = null;
        }
      } else if (event instanceof Call call && call.callId().equals(callId)) {
        if (firstFrame != null && call.connectedAt().isPresent()) {
          emitFirstFrame(firstFrame, dialedNanos, call.connectedAt().get());
          firstFrame = null;
        }
        if (!call.media().equals(media) && call.state() != CallState.ENDED) {
          media = call.media();
          Map<String, Object> fields = new LinkedHashMap<>();
          fields.put("call_id", call.callId());
          fields.put("local_video", media.localVideo());
          fields.put("remote_video", media.remoteVideo());
          media.videoProblem().ifPresent(problem -> fields.put("problem", problem));
          emit("media", fields);
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("call_id", call.callId());
        fields.put("peer", call.peerNumber());
        switch (call.state()) {
          case CONNECTED -> {
            boolean first = !wasConnected;
            wasConnected = true;
            if (first) {
              connectedNanos = System.nanoTime();
              fields.put("connect_ms", Math.round((connectedNanos - dialedNanos) / 1e6));
              if (connectingNanos != 0) {
                fields.put("ice_ms", Math.round((connectedNanos - connectingNanos) / 1e6));
              }
            }
            try {
              CallStats stats = client.calls().stats(callId);
              fields.put("local", stats.localCandidate().name().toLowerCase(Locale.ROOT));
              fields.put("remote", stats.remoteCandidate().name().toLowerCase(Locale.ROOT));
              fields.put("local_address", stats.localAddress());
              fields.put("remote_address", stats.remoteAddress());
            } catch (ParleyException e) {
              fields.put("stats_error", e.getMessage());
            }
            emit("connected", fields);
          }
          case ENDED -> {
            fields.put("reason", call.endReason().map(r -> r.name().toLowerCase(Locale.ROOT)).orElse(""));
            fields.put("duration_s", call.duration().toMillis() / 1000.0);
            fields.put("video_frames_received", remoteFrames.get());
            emit("ended", fields);
            return wasConnected ? ExitCodes.OK : ExitCodes.CALL_NOT_CONNECTED;
          }
          default -> {
            if (call.state() == CallState.CONNECTING && connectingNanos == 0) {
              connectingNanos = System.nanoTime();
            }
            emit(call.state().name().toLowerCase(Locale.ROOT), fields);
          }
        }
      }
    }
  }

  private void emitFirstFrame(FirstFrame first, long dialedNanos, long connectedAtMillis) {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("call_id", first.callId());
    fields.put("width", first.width());
    fields.put("height", first.height());
    fields.put("since_dial_ms", Math.round((first.atNanos() - dialedNanos) / 1e6));
    fields.put("since_connected_ms", first.atMillis() - connectedAtMillis);
    emit("first_video_frame", fields);
  }

  private static Map<String, Object> stats(CallStats s) {
    Map<String, Object> f = new LinkedHashMap<>();
    f.put("rtt_ms", s.roundTripTime().toNanos() / 1e6);
    f.put("loss", Math.round(s.packetLoss() * 10000) / 10000.0);
    f.put("jitter_ms", s.jitter().toNanos() / 1e6);
    f.put("out_bps", s.outboundBitrate());
    f.put("in_bps", s.inboundBitrate());
    f.put("packets_sent", s.packetsSent());
    f.put("packets_received", s.packetsReceived());
    f.put("packets_lost", s.packetsLost());
    f.put("codec", s.codec());
    f.put("fmtp", s.codecParameters());
    f.put("local", s.localCandidate().name().toLowerCase(Locale.ROOT));
    f.put("remote", s.remoteCandidate().name().toLowerCase(Locale.ROOT));
    s.video().ifPresent(v -> {
      f.put("video_codec", v.codec());
      f.put("video_out", v.sentWidth() + "x" + v.sentHeight() + "@" + Math.round(v.sentFps()));
      f.put("video_in", v.receivedWidth() + "x" + v.receivedHeight() + "@" + Math.round(v.receivedFps()));
      f.put("video_out_bps", v.outboundBitrate());
      f.put("video_in_bps", v.inboundBitrate());
      f.put("video_loss", Math.round(v.packetLoss() * 10000) / 10000.0);
      f.put("video_limit", v.qualityLimitation());
    });
    return f;
  }

  abstract PrintWriter out();

  void emit(String type, Map<String, Object> fields) {
    String line;
    if (json) {
      ObjectNode node = Json.MAPPER.createObjectNode();
      node.put("type", type);
      fields.forEach((k, v) -> {
        if (v instanceof Boolean b) {
          node.put(k, b);
        } else if (v instanceof Number n && !(v instanceof Double)) {
          node.put(k, n.longValue());
        } else if (v instanceof Double d) {
          node.put(k, d);
        } else {
          node.put(k, String.valueOf(v));
        }
      });
      line = Json.write(node);
    } else {
      StringBuilder b = new StringBuilder(type);
      fields.forEach((k, v) -> {
        String value = String.valueOf(v);
        b.append(' ').append(k).append('=').append(value.isEmpty() || value.contains(" ") ? "\"" + value + "\""
            : value);
      });
      line = b.toString();
    }
    PrintWriter out = out();
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }
}
