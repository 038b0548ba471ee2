package org.parley.bench;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.calls.AudioIo;
import org.parley.client.api.calls.Call;
import org.parley.client.api.calls.CallListener;
import org.parley.client.api.calls.CallOptions;
import org.parley.client.api.calls.CallState;
import org.parley.client.api.calls.CallStats;
import org.parley.client.api.calls.VideoFrameListener;
import org.parley.client.api.calls.VideoSource;
import org.parley.client.internal.calls.DefaultCallManager;
import org.parley.client.internal.calls.Wav;
import org.parley.server.ParleyServer;
import org.parley.server.config.ConfigLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Calls between two real clients and an in-process server (with its embedded parley-turn), in one JVM:
 * <ol>
 *   <li><b>connect</b>: dial → connected time (the callee answers as soon as it rings), peer to peer and relayed;</li>
 *   <li><b>delay</b>: one-way audio delay: the caller sends silence, then a 1 kHz burst; the time from pushing its
 *       first sample to the callee's playout delivering it (both clocks are this JVM's);</li>
 *   <li><b>quality</b>: a steady 1 kHz tone for {@code --tone-seconds}; the SNR of what arrives (tone power against
 *       everything else) and the packet loss seen. Run it under {@code tc netem} loss (see
 *       {@code bench/scripts/call-bench.sh}) to see Opus in-band FEC and concealment at work;</li>
 *   <li><b>video</b>: video calls both ways at 640×480, 30 fps: dial → first decoded remote frame, peer to peer and
 *       relayed through parley-turn.</li>
 * </ol>
 */
@Command(name = "call-bench", mixinStandardHelpOptions = true,
    description = "Call setup time, one-way audio delay and audio quality on this machine.")
public final class CallBench implements Callable<Integer> {

  @Option(names = "--calls", defaultValue = "20", description = "Calls per connect measurement (default ${DEFAULT-VALUE}).")
  int calls;

  @Option(names = "--delay-runs", defaultValue = "5", description = "Tone bursts (one call each) (default ${DEFAULT-VALUE}).")
  int delayRuns;

  @Option(names = "--tone-seconds", defaultValue = "20", description = "Length of the quality call (default ${DEFAULT-VALUE}).")
  int toneSeconds;

  @Option(names = "--video-calls", defaultValue = "10",
      description = "Video calls for dial → first remote frame (default ${DEFAULT-VALUE}).")
  int videoCalls;

  @Option(names = "--only", description = "connect, delay, quality or video (default: all).")
  String only;

  private static final int RATE = 16_000;
  private final Map<String, CompletableFuture<Long>> connected = new ConcurrentHashMap<>();
  private final Map<String, CompletableFuture<Void>> ended = new ConcurrentHashMap<>();
  private volatile CallOptions calleeOptions = CallOptions.of(AudioIo.silent());

  public static void main(String[] args) {
    BenchLogging.useBenchConfiguration();
    System.exit(new CommandLine(new CallBench()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    Path serverDir = Files.createTempDirectory("parley-call-bench-server");
    try (ParleyServer server = ParleyServer.start(ConfigLoader.load(Optional.empty(), Map.of(
        "PARLEY_SERVER_PORT", "0", "PARLEY_SERVER_DATA_DIR", serverDir.toString(),
        "PARLEY_RATE_LIMITS_SESSIONS_PER_IP", "100/1m",
        "PARLEY_TURN_EMBEDDED", "true", "PARLEY_TURN_LISTENING_PORT", "0",
        "PARLEY_TURN_ALLOW_LOOPBACK_PEERS", "true", "PARLEY_ADMIN_PORT", "-1")))) {
      URI url = URI.create("http://127.0.0.1:" + server.port());
      try (ParleyClient alice = register(url, serverDir, "+15550000111");
          ParleyClient bob = register(url, serverDir, "+15550000222")) {
        listen(alice, false);
        listen(bob, true);
        alice.connect();
        bob.connect();
        alice.awaitQueueDrained(Duration.ofSeconds(30));
        bob.awaitQueueDrained(Duration.ofSeconds(30));
        Path dir = Files.createTempDirectory("parley-call-bench");
        if (only == null || only.equals("connect")) {
          connect(alice, "peer to peer", false);
          connect(alice, "relay only (parley-turn)", true);
        }
        if (only == null || only.equals("delay")) {
          delay(alice, dir);
        }
        if (only == null || only.equals("quality")) {
          quality(alice, bob, dir);
        }
        if (only == null || only.equals("video")) {
          video(alice, "peer to peer", false);
          video(alice, "relay only (parley-turn)", true);
        }
      }
    }
    return 0;
  }

  private void listen(ParleyClient client, boolean autoAnswer) {
    client.calls().addListener(new CallListener() {
      @Override
      public void incomingCall(Call call) {
        if (autoAnswer) {
          try {
            client.calls().answer(call.callId(), calleeOptions);
          } catch (Exception e) {
            System.err.println("answer failed: " + e);
          }
        }
      }

      @Override
      public void stateChanged(Call call) {
        if (call.state() == CallState.CONNECTED) {
          connected.computeIfAbsent(call.callId() + autoAnswer, k -> new CompletableFuture<>())
              .complete(System.nanoTime());
        } else if (call.state() == CallState.ENDED) {
          ended.computeIfAbsent(call.callId() + autoAnswer, k -> new CompletableFuture<>()).complete(null);
        }
      }
    });
  }

  private long awaitConnected(Call call) throws Exception {
    return connected.computeIfAbsent(call.callId() + false, k -> new CompletableFuture<>()).get(30, TimeUnit.SECONDS);
  }

  private void hangupAndWait(ParleyClient caller, Call call) throws Exception {
    caller.calls().hangup(call.callId());
    ended.computeIfAbsent(call.callId() + true, k -> new CompletableFuture<>()).get(30, TimeUnit.SECONDS);
  }

  private void connect(ParleyClient alice, String label, boolean relay) throws Exception {
    calleeOptions = CallOptions.of(AudioIo.silent()).withRelayOnly(relay);
    List<Double> millis = new ArrayList<>();
    String pair = "";
    for (int i = 0; i < calls + 2; i++) {
      long start = System.nanoTime();
      Call call = alice.calls().placeCall("+15550000222", CallOptions.of(AudioIo.silent()).withRelayOnly(relay));
      long at = awaitConnected(call);
      if (i >= 2) { // the first two warm up the JIT and libwebrtc
        millis.add((at - start) / 1e6);
      }
      if (i == 2) {
        CallStats stats = alice.calls().stats(call.callId());
        pair = stats.localCandidate() + "/" + stats.remoteCandidate();
      }
      hangupAndWait(alice, call);
    }
    Collections.sort(millis);
    System.out.printf("connect %-26s calls=%d pair=%s median=%.0f ms p90=%.0f ms min=%.0f ms max=%.0f ms%n", label,
        millis.size(), pair, pct(millis, 50), pct(millis, 90), millis.get(0), millis.get(millis.size() - 1));
  }

  private void delay(ParleyClient alice, Path dir) throws Exception {
    Path burst = dir.resolve("burst.wav");
    short[] samples = new short[RATE * 3];
    for (int i = RATE; i < RATE + RATE / 5; i++) {
      samples[i] = (short) (0.3 * 32767 * Math.sin(2 * Math.PI * 1000 * i / RATE));
    }
    Wav.write(burst, new Wav.Pcm(RATE, 1, samples));
    List<Double> delays = new ArrayList<>();
    for (int run = 0; run < delayRuns; run++) {
      Path heard = dir.resolve("burst-heard-" + run + ".wav");
      calleeOptions = CallOptions.of(AudioIo.wav(null, heard));
      Call call = alice.calls().placeCall("+15550000222", CallOptions.of(AudioIo.wav(burst, null)));
      awaitConnected(call);
      Thread.sleep(2500);
      DefaultCallManager aliceCalls = (DefaultCallManager) alice.calls();
      long sentStart = aliceCalls.mediaTimes(call.callId())[0];
      hangupAndWait(alice, call);
      // Bob's manager: the call's media timestamps survive the end of the call.
      long receivedStart = bobManager.mediaTimes(call.callId())[1];
      short[] got = Wav.read(heard).samples();
      int onset = onset(got);
      if (onset < 0 || sentStart == 0 || receivedStart == 0) {
        System.out.println("delay run " + run + ": burst not found");
        continue;
      }
      double sentAt = sentStart / 1e6 + 1000.0;
      double receivedAt = receivedStart / 1e6 + onset * 1000.0 / RATE;
      delays.add(receivedAt - sentAt);
    }
    Collections.sort(delays);
    if (!delays.isEmpty()) {
      System.out.printf("one-way audio delay (send push → callee playout) runs=%d median=%.0f ms min=%.0f ms "
          + "max=%.0f ms%n", delays.size(), pct(delays, 50), delays.get(0), delays.get(delays.size() - 1));
    }
  }

  private DefaultCallManager bobManager;

  /**
   * Video calls both ways (the test pattern at 640×480, 30 fps, VP8): dial → connected and → the caller's first
   * decoded remote frame, and connected → that frame (the wall clock of the call's connectedAt); peer to peer, or
   * with both sides relay only (each through its own allocation on the embedded parley-turn).
   */
  private void video(ParleyClient alice, String label, boolean relay) throws Exception {
    Map<String, Long> firstFrame = new ConcurrentHashMap<>();
    Map<String, Long> firstFrameMillis = new ConcurrentHashMap<>();
    VideoFrameListener first = (callId, frame) -> {
      firstFrame.putIfAbsent(callId, System.nanoTime());
      firstFrameMillis.putIfAbsent(callId, System.currentTimeMillis());
    };
    alice.calls().addVideoListener(first);
    calleeOptions = CallOptions.of(AudioIo.silent()).withRelayOnly(relay).withVideo(VideoSource.pattern(2));
    String pair = "";
    List<Double> toConnected = new ArrayList<>();
    List<Double> toFrame = new ArrayList<>();
    List<Double> afterConnected = new ArrayList<>();
    for (int i = 0; i < videoCalls + 2; i++) {
      long start = System.nanoTime();
      Call call = alice.calls().placeCall("+15550000222", CallOptions.of(AudioIo.silent()).withRelayOnly(relay)
          .withVideo(VideoSource.pattern(1)));
      long at = awaitConnected(call);
      if (i == 2) {
        CallStats stats = alice.calls().stats(call.callId());
        pair = stats.localCandidate() + "/" + stats.remoteCandidate();
      }
      long deadline = System.nanoTime() + 10_000_000_000L;
      while (!firstFrame.containsKey(call.callId()) && System.nanoTime() < deadline) {
        Thread.sleep(2);
      }
      Long frameAt = firstFrame.get(call.callId());
      long connectedAt = alice.calls().call(call.callId()).flatMap(Call::connectedAt).orElse(0L);
      hangupAndWait(alice, call);
      if (frameAt == null) {
        System.out.println("video call " + i + ": no frame within 10 s");
      } else if (i >= 2) {
        toConnected.add((at - start) / 1e6);
        toFrame.add((frameAt - start) / 1e6);
        afterConnected.add((double) (firstFrameMillis.get(call.callId()) - connectedAt));
      }
    }
    alice.calls().removeVideoListener(first);
    Collections.sort(toConnected);
    Collections.sort(toFrame);
    Collections.sort(afterConnected);
    if (!toFrame.isEmpty()) {
      System.out.printf("video 640x480@30 both ways %-26s calls=%d pair=%s: dial → connected median=%.0f ms; dial "
              + "→ first remote frame median=%.0f ms p90=%.0f ms max=%.0f ms; connected → first frame median=%.0f ms "
              + "max=%.0f ms%n", label, toFrame.size(), pair, pct(toConnected, 50), pct(toFrame, 50), pct(toFrame, 90),
          toFrame.get(toFrame.size() - 1), pct(afterConnected, 50), afterConnected.get(afterConnected.size() - 1));
    }
  }

  private void quality(ParleyClient alice, ParleyClient bob, Path dir) throws Exception {
    Path tone = dir.resolve("tone.wav");
    short[] samples = new short[RATE * (toneSeconds + 2)];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = (short) (0.3 * 32767 * Math.sin(2 * Math.PI * 1000 * i / RATE));
    }
    Wav.write(tone, new Wav.Pcm(RATE, 1, samples));
    Path heard = dir.resolve("tone-heard.wav");
    calleeOptions = CallOptions.of(AudioIo.wav(null, heard));
    Call call = alice.calls().placeCall("+15550000222", CallOptions.of(AudioIo.wav(tone, null)));
    awaitConnected(call);
    Thread.sleep(toneSeconds * 1000L);
    CallStats bobStats = bob.calls().stats(call.callId());
    CallStats aliceStats = alice.calls().stats(call.callId());
    hangupAndWait(alice, call);
    short[] got = Wav.read(heard).samples();
    // Skip the first second (connection, jitter buffer settling) and the last half second.
    int from = RATE;
    int to = Math.max(from + RATE, got.length - RATE / 2);
    double[] snr = snr(got, from, Math.min(to, got.length), 1000);
    System.out.printf("quality: received loss=%.1f%% (%d of %d packets lost) sender bitrate=%d bps; 1 kHz tone "
            + "SNR median=%.1f dB, 10th percentile=%.1f dB over %d windows of 20 ms; %.1f%% of windows below 10 dB%n",
        bobStats.packetLoss() * 100, bobStats.packetsLost(), bobStats.packetsLost() + bobStats.packetsReceived(),
        aliceStats.outboundBitrate(), snr[0], snr[1], (int) snr[2], snr[3]);
  }

  /** Per 20 ms window: power of the tone (least-squares sine fit) against the rest; median, p10, count, % < 10 dB. */
  static double[] snr(short[] s, int from, int to, double hz) {
    int window = RATE / 50;
    List<Double> values = new ArrayList<>();
    for (int start = from; start + window <= to; start += window) {
      double c = 0;
      double d = 0;
      double total = 0;
      for (int i = start; i < start + window; i++) {
        double x = s[i] / 32768.0;
        double phase = 2 * Math.PI * hz * i / RATE;
        c += x * Math.cos(phase);
        d += x * Math.sin(phase);
        total += x * x;
      }
      double tonePower = 2 * (c * c + d * d) / window;
      double rest = Math.max(total - tonePower, 1e-12);
      values.add(10 * Math.log10(Math.max(tonePower, 1e-12) / rest));
    }
    Collections.sort(values);
    long low = values.stream().filter(v -> v < 10).count();
    return new double[] {pct(values, 50), pct(values, 10), values.size(), 100.0 * low / Math.max(1, values.size())};
  }

  /** First sample of the first 10 ms window with at least a tenth of the loudest window's 1 kHz power. */
  static int onset(short[] s) {
    int window = RATE / 100;
    double max = 0;
    List<Double> powers = new ArrayList<>();
    for (int start = 0; start + window <= s.length; start += window) {
      double p = goertzel(s, start, start + window, 1000);
      powers.add(p);
      max = Math.max(max, p);
    }
    if (max <= 0) {
      return -1;
    }
    for (int i = 0; i < powers.size(); i++) {
      if (powers.get(i) >= max / 10) {
        // refine inside the window: first sample whose magnitude passes a tenth of the peak amplitude
        int peak = 0;
        for (short v : s) {
          peak = Math.max(peak, Math.abs(v));
        }
        for (int j = Math.max(0, (i - 1) * window); j < (i + 1) * window && j < s.length; j++) {
          if (Math.abs(s[j]) >= peak / 10) {
            return j;
          }
        }
        return i * window;
      }
    }
    return -1;
  }

  static double goertzel(short[] samples, int from, int to, double hz) {
    double coeff = 2 * Math.cos(2 * Math.PI * hz / RATE);
    double s1 = 0;
    double s2 = 0;
    for (int i = from; i < to; i++) {
      double s0 = samples[i] / 32768.0 + coeff * s1 - s2;
      s2 = s1;
      s1 = s0;
    }
    return (s1 * s1 + s2 * s2 - coeff * s1 * s2) / (to - from);
  }

  static double pct(List<Double> sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
  }

  private ParleyClient register(URI url, Path serverDir, String number) throws Exception {
    ParleyClient client = ParleyClient.open(new ClientOptions(Files.createTempDirectory("parley-bench-client"),
        Optional.of(url), Optional.empty(), Clock.systemUTC()));
    client.requestCode(number);
    List<String> lines = Files.readAllLines(serverDir.resolve("dev-sms.txt"));
    String code = lines.stream().filter(l -> l.startsWith(number + " ")).reduce((a, b) -> b).orElseThrow()
        .split(" ")[1];
    client.verify(code);
    if (number.endsWith("222")) {
      bobManager = (DefaultCallManager) client.calls();
    }
    return client;
  }
}
