package org.parley.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.parley.client.api.AuthenticationException;
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
import picocli.CommandLine.Option;

/**
 * What {@code call} and {@code answer} share: audio options, the event lines they print, and running a call until
 * it has been connected for the requested time or ends.
 *
 * <p>Output, one event per line: {@code EVENT key=value ...} (or a JSON object with {@code "type": EVENT} with
 * {@code --json}). Events: {@code ringing}, {@code incoming}, {@code connecting}, {@code connected} (with
 * {@code connect_ms} since dialling or answering, {@code ice_ms} since the answer, and the selected candidate pair: {@code local}/{@code remote} = host, srflx, prflx or relay),
 * {@code reconnecting}, {@code stats} (once a second), {@code ended} (with {@code reason} and {@code duration_s}).
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

  @Option(names = "--json", description = "One JSON object per line instead of key=value lines.")
  boolean json;

  @Option(names = "--no-stats", description = "Do not print a stats line every second.")
  boolean noStats;

  /** Set once a call command touched libwebrtc (see {@link ParleyCli#main}). */
  static volatile boolean usedLibwebrtc;

  final BlockingQueue<Object> events = new LinkedBlockingQueue<>();
  private volatile String authFailure;

  CallOptions options() {
    AudioIo audio = systemAudio ? AudioIo.systemDefault() : AudioIo.wav(play, record);
    return new CallOptions(audio, relayOnly);
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

  /**
   * Follows {@code callId} from now until it ends: prints events, hangs up after {@link #seconds} connected.
   * Returns the exit code (0 when the call was connected).
   */
  int follow(ParleyClient client, String callId, long dialedNanos) throws Exception {
    long connectedNanos = 0;
    long connectingNanos = 0;
    boolean wasConnected = false;
    while (true) {
      long wait = 200;
      Object event = events.poll(wait, TimeUnit.MILLISECONDS);
      if (connectedNanos != 0 && System.nanoTime() - connectedNanos >= (long) (seconds * 1e9)) {
        client.calls().hangup(callId);
        connectedNanos = 0;
      }
      if (event instanceof CallStats stats && !noStats) {
        emit("stats", stats(stats));
      } else if (event instanceof Call call && call.callId().equals(callId)) {
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
    return f;
  }

  abstract PrintWriter out();

  void emit(String type, Map<String, Object> fields) {
    String line;
    if (json) {
      ObjectNode node = Json.MAPPER.createObjectNode();
      node.put("type", type);
      fields.forEach((k, v) -> {
        if (v instanceof Number n && !(v instanceof Double)) {
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
