package org.parley.desktop.vm;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import org.parley.client.api.calls.Call;
import org.parley.client.api.calls.CallDirection;
import org.parley.client.api.calls.CallEndReason;
import org.parley.client.api.calls.CallListener;
import org.parley.client.api.calls.CallOptions;
import org.parley.client.api.calls.CallState;
import org.parley.client.api.calls.CallStats;
import org.parley.client.api.calls.I420Frame;
import org.parley.client.api.calls.VideoFrameListener;
import org.parley.client.api.calls.VideoSource;
import org.parley.client.api.calls.VideoStats;

/**
 * The one call the desktop shows at a time: placing it (outgoing ringing), an incoming call (accept, decline),
 * the call in progress (timer, mute, hang up, connection quality) and how it ended. client-core answers a second
 * incoming call "busy" by itself, so there is never more than one. Call events arrive on client-core's call thread
 * and are handed to the ui executor.
 */
public final class CallViewModel {

  /** What the call windows show. */
  public enum Phase {
    /** No call. */
    IDLE,
    /** Someone calls us: the incoming-call window rings. */
    INCOMING,
    /** We call; their devices ring. */
    OUTGOING,
    /** Answered; the connection is being set up. */
    CONNECTING,
    /** Talking. */
    CONNECTED,
    /** The connection dropped; trying to get it back. */
    RECONNECTING,
    /** Over; shown for a moment with the reason, then {@link #IDLE}. */
    ENDED
  }

  /** Connection quality from the call's statistics. */
  public enum Quality {
    UNKNOWN("Measuring…"), GOOD("Good"), FAIR("Fair"), POOR("Poor");

    public final String label;

    Quality(String label) {
      this.label = label;
    }

    /**
     * Poor above 400 ms round trip, 5 % loss or 60 ms jitter (speech breaks up or lags noticeably); fair above
     * 200 ms, 1 % or 30 ms; good below. Unknown until the first round trip is measured.
     */
    public static Quality of(CallStats s) {
      if (s.roundTripTime().isZero() && s.packetsReceived() == 0) {
        return UNKNOWN;
      }
      long rtt = s.roundTripTime().toMillis();
      double loss = s.packetLoss() * 100;
      long jitter = s.jitter().toMillis();
      if (rtt > 400 || loss > 5 || jitter > 60) {
        return POOR;
      }
      if (rtt > 200 || loss > 1 || jitter > 30) {
        return FAIR;
      }
      return GOOD;
    }
  }

  /** How long the ended call stays on screen. */
  static final long ENDED_SHOWN_MS = 2_500;

  public final Value<Phase> phase = new Value<>(Phase.IDLE);
  public final Value<String> peerNumber = new Value<>("");
  public final Value<String> peerName = new Value<>("");
  /** "Calling…", "Ringing…", "Connecting…", "Connected", "Declined", … */
  public final Value<String> status = new Value<>("");
  /** Time connected, "m:ss" (or "h:mm:ss"). */
  public final Value<String> elapsed = new Value<>("0:00");
  public final Value<Boolean> muted = new Value<>(false);
  public final Value<Quality> quality = new Value<>(Quality.UNKNOWN);
  /** The numbers behind {@link #quality}, for a tooltip. */
  public final Value<String> qualityDetails = new Value<>("");
  /** Why this call carries no sound (no sound device), or blank. */
  public final Value<String> audioNote = new Value<>("");
  public final Value<String> error = new Value<>("");
  /** The call shown is a video call (either side sends video, or the caller offers it). */
  public final Value<Boolean> video = new Value<>(false);
  /** We send video (our camera is on), as negotiated. */
  public final Value<Boolean> localVideo = new Value<>(false);
  /** The peer sends video, as negotiated. */
  public final Value<Boolean> remoteVideo = new Value<>(false);
  /** Why our video is off although it was asked for ("No camera found", "The other side declined video"), or blank. */
  public final Value<String> videoNote = new Value<>("");
  /** The video's numbers: resolution, frame rate, bitrate and loss of what we receive (else of what we send). */
  public final Value<String> videoQuality = new Value<>("");
  /** We send our screen instead of a camera. */
  public final Value<Boolean> sharingScreen = new Value<>(false);
  /** There is more than one camera to switch between. */
  public final Value<Boolean> canSwitchCamera = new Value<>(false);

  private final ParleyClient client;
  private final CallAudio audio;
  private final CallCamera camera;
  private final UnaryOperator<String> names;
  private final Tasks tasks;
  private final Clock clock;
  private final ScheduledExecutorService timer;
  private final CallListener listener = new Listener();
  /** The call shown (ui thread); null while placing one or when idle. */
  private Call call;
  private long generation;
  private ScheduledFuture<?> ticker;
  /** The call shown, for libwebrtc's threads: frames of other calls are not drawn. */
  private volatile String videoCallId;
  /** The cameras of the call shown (ui thread), and which one we send (or would, once the camera is on). */
  private List<VideoSource> cameras = List.of();
  private int cameraIndex;
  /** Whether our camera was on when screen sharing started: stopping it turns the camera back on. */
  private boolean cameraBeforeSharing;

  /**
   * @param names the name to show for a number (a contact's name, else the number)
   */
  public CallViewModel(ParleyClient client, CallAudio audio, CallCamera camera, UnaryOperator<String> names,
      Tasks tasks, Clock clock, ScheduledExecutorService timer) {
    this.client = client;
    this.audio = audio;
    this.camera = camera;
    this.names = names;
    this.tasks = tasks;
    this.clock = clock;
    this.timer = timer;
  }

  public void start() {
    client.calls().addListener(listener);
    ticker = timer.scheduleAtFixedRate(() -> tasks.ui().execute(this::tick), 1, 1, TimeUnit.SECONDS);
  }

  public void stop() {
    client.calls().removeListener(listener);
    if (ticker != null) {
      ticker.cancel(false);
    }
  }

  /**
   * Draws the shown call's video: the peer's frames into {@code remote}, ours into {@code preview} (both called on
   * libwebrtc's threads, once per frame).
   */
  public void drawVideoInto(VideoPicture remote, VideoPicture preview) {
    client.calls().addVideoListener(new VideoFrameListener() {
      @Override
      public void remoteFrame(String callId, I420Frame frame) {
        if (callId.equals(videoCallId)) {
          remote.frame(frame);
        }
      }

      @Override
      public void localFrame(String callId, I420Frame frame) {
        if (callId.equals(videoCallId)) {
          preview.frame(frame);
        }
      }
    });
  }

  /** The call shown, if any. */
  public Optional<Call> current() {
    return Optional.ofNullable(call);
  }

  /** Whether a call is being placed, rings or is up (a new one cannot start). */
  public boolean busy() {
    Phase p = phase.get();
    return p != Phase.IDLE && p != Phase.ENDED;
  }

  /** Calls {@code number} (audio only). */
  public void call(String number) {
    call(number, false);
  }

  /** Calls {@code number} with our camera on; without a camera the call carries audio and {@link #videoNote} says why. */
  public void videoCall(String number) {
    call(number, true);
  }

  private void call(String number, boolean withVideo) {
    if (busy()) {
      error.set("You are already in a call");
      return;
    }
    generation++;
    call = null;
    show(number);
    status.set("Calling…");
    video.set(withVideo);
    phase.set(Phase.OUTGOING);
    tasks.run(() -> {
      Optional<String> problem = audio.problem();
      Optional<String> noCamera = camera.problem();
      Call placed = client.calls().placeCall(number, options(withVideo && noCamera.isEmpty()));
      return new Started(placed, problem, withVideo ? noCamera : Optional.empty(), camerasIf(noCamera));
    }, started -> {
      audioNote.set(note(started.problem));
      started.noCamera.ifPresent(videoNote::set);
      useCameras(started.cameras);
      update(started.call);
    }, message -> {
      if (call == null && phase.get() == Phase.OUTGOING) {
        error.set(message);
        end("Call failed: " + message);
      }
    });
  }

  /** Answers the ringing incoming call. */
  public void accept() {
    Call ringing = call;
    if (ringing == null || phase.get() != Phase.INCOMING) {
      return;
    }
    status.set("Connecting…");
    phase.set(Phase.CONNECTING);
    // A video call is answered with our camera on, as the person expects from "Video call".
    boolean withVideo = ringing.isVideo();
    tasks.run(() -> {
      Optional<String> problem = audio.problem();
      Optional<String> noCamera = camera.problem();
      Call answered = client.calls().answer(ringing.callId(), options(withVideo && noCamera.isEmpty()));
      return new Started(answered, problem, withVideo ? noCamera : Optional.empty(), camerasIf(noCamera));
    }, started -> {
      audioNote.set(note(started.problem));
      started.noCamera.ifPresent(videoNote::set);
      useCameras(started.cameras);
      update(started.call);
    }, this::fail);
  }

  /** Declines the ringing incoming call. */
  public void decline() {
    Call ringing = call;
    if (ringing == null || phase.get() != Phase.INCOMING) {
      return;
    }
    tasks.run(() -> {
      client.calls().decline(ringing.callId());
      return null;
    }, x -> { }, this::fail);
  }

  /** Hangs up (or cancels while it rings on the other side). */
  public void hangUp() {
    Call current = call;
    if (current == null) {
      if (phase.get() == Phase.OUTGOING) {
        status.set("Cancelling…");
        // The call is still being placed; hang up as soon as it exists.
        tasks.run(() -> {
          client.calls().activeCall().ifPresent(c -> {
            try {
              client.calls().hangup(c.callId());
            } catch (ParleyException e) {
              throw new IllegalStateException(e.getMessage(), e);
            }
          });
          return null;
        }, x -> { }, this::fail);
      }
      return;
    }
    tasks.run(() -> {
      client.calls().hangup(current.callId());
      return null;
    }, x -> { }, this::fail);
  }

  /** Mutes or unmutes our microphone. */
  public void toggleMute() {
    Call current = call;
    if (current == null || !busy()) {
      return;
    }
    boolean on = !muted.get();
    tasks.run(() -> {
      client.calls().setMuted(current.callId(), on);
      return null;
    }, x -> muted.set(on), this::fail);
  }

  /**
   * Turns our camera on or off during the call, audio or video (renegotiated with the peer; {@link #localVideo}
   * follows, and an audio call becomes a video call). While the screen is shared, "on" goes back to the camera.
   */
  public void toggleCamera() {
    Call current = call;
    if (current == null || !busy() || phase.get() == Phase.INCOMING) {
      return;
    }
    boolean on = !cameraOn();
    VideoSource chosen = chosenCamera();
    tasks.run(() -> {
      if (!on) {
        client.calls().stopVideo(current.callId());
        return Optional.<String>empty();
      }
      Optional<String> noCamera = camera.problem();
      if (noCamera.isEmpty()) {
        client.calls().startVideo(current.callId(), chosen != null ? chosen : camera.source());
      }
      return noCamera;
    }, noCamera -> {
      sharingScreen.set(false);
      noCamera.ifPresentOrElse(videoNote::set, () -> {
        if (on) {
          videoNote.set("");
        }
      });
    }, this::fail);
  }

  /** Our camera (not the screen) is what we send. */
  public boolean cameraOn() {
    return localVideo.get() && !sharingScreen.get();
  }

  /**
   * The next camera: sent at once if the camera is on (client-core switches the track without renegotiating), else
   * the one the camera turns on with.
   */
  public void switchCamera() {
    Call current = call;
    if (current == null || !busy() || cameras.size() < 2) {
      return;
    }
    int next = (cameraIndex + 1) % cameras.size();
    VideoSource source = cameras.get(next);
    boolean send = cameraOn();
    tasks.run(() -> {
      if (send) {
        client.calls().startVideo(current.callId(), source);
      }
      return null;
    }, x -> cameraIndex = next, videoNote::set);
  }

  /**
   * Shares our screen instead of the camera (an audio call becomes a video call), or stops sharing: back to the
   * camera if it was on before, else no video. Without a display to share, {@link #videoNote} says why.
   */
  public void toggleScreenShare() {
    Call current = call;
    if (current == null || !busy() || phase.get() == Phase.INCOMING) {
      return;
    }
    if (!sharingScreen.get()) {
      boolean cameraWasOn = cameraOn();
      VideoSource screen = camera.screen();
      tasks.run(() -> {
        client.calls().startVideo(current.callId(), screen);
        return null;
      }, x -> {
        cameraBeforeSharing = cameraWasOn;
        sharingScreen.set(true);
        videoNote.set("");
      }, videoNote::set);
      return;
    }
    boolean back = cameraBeforeSharing;
    VideoSource chosen = chosenCamera();
    tasks.run(() -> {
      if (back && chosen != null) {
        client.calls().startVideo(current.callId(), chosen);
      } else {
        client.calls().stopVideo(current.callId());
      }
      return null;
    }, x -> sharingScreen.set(false), this::fail);
  }

  /** The camera chosen for this call, or null before the cameras are known (then the first). */
  private VideoSource chosenCamera() {
    return cameras.isEmpty() ? null : cameras.get(cameraIndex % cameras.size());
  }

  /** On the io thread: the cameras, when there is one. */
  private List<VideoSource> camerasIf(Optional<String> noCamera) {
    return noCamera.isEmpty() ? camera.cameras() : List.of();
  }

  private void useCameras(List<VideoSource> found) {
    cameras = found;
    cameraIndex = 0;
    canSwitchCamera.set(found.size() > 1);
  }

  private CallOptions options(boolean withCamera) {
    CallOptions plain = CallOptions.of(audio.audio());
    return withCamera ? plain.withVideo(camera.source()) : plain;
  }

  private void fail(String message) {
    error.set(message);
  }

  private void show(String number) {
    peerNumber.set(number);
    peerName.set(names.apply(number));
    elapsed.set("0:00");
    muted.set(false);
    quality.set(Quality.UNKNOWN);
    qualityDetails.set("");
    audioNote.set("");
    error.set("");
    video.set(false);
    localVideo.set(false);
    remoteVideo.set(false);
    videoNote.set("");
    videoQuality.set("");
    sharingScreen.set(false);
    canSwitchCamera.set(false);
    cameras = List.of();
    cameraIndex = 0;
  }

  private void onIncoming(Call incoming) {
    if (busy()) {
      return; // client-core answers it "busy"
    }
    generation++;
    call = incoming;
    videoCallId = incoming.callId();
    show(incoming.peerNumber());
    video.set(incoming.isVideo());
    status.set(incoming.isVideo() ? "Incoming video call" : "Incoming call");
    phase.set(Phase.INCOMING);
    // Find out early whether this machine has sound, so the window can say so before answering.
    tasks.run(audio::problem, p -> {
      if (call != null && call.callId().equals(incoming.callId())) {
        audioNote.set(note(p));
      }
    }, x -> { });
  }

  /** A newer snapshot of the call shown (or of the one being placed). */
  void update(Call c) {
    if (call == null) {
      if (phase.get() != Phase.OUTGOING || c.direction() != CallDirection.OUTGOING
          || !c.peerNumber().equals(peerNumber.get())) {
        return;
      }
    } else if (!call.callId().equals(c.callId()) || call.state() == CallState.ENDED) {
      return;
    }
    if (call != null && c.state().ordinal() < call.state().ordinal() && c.state() != CallState.CONNECTED) {
      return; // an older snapshot (placeCall's result after the first events)
    }
    call = c;
    videoCallId = c.callId();
    muted.set(c.muted());
    showMedia(c);
    switch (c.state()) {
      case RINGING -> {
        phase.set(c.direction() == CallDirection.OUTGOING ? Phase.OUTGOING : Phase.INCOMING);
        status.set(c.direction() == CallDirection.OUTGOING ? "Ringing…"
            : c.isVideo() ? "Incoming video call" : "Incoming call");
      }
      case CONNECTING -> {
        phase.set(Phase.CONNECTING);
        status.set("Connecting…");
      }
      case CONNECTED -> {
        phase.set(Phase.CONNECTED);
        status.set("Connected");
        tick();
      }
      case RECONNECTING -> {
        phase.set(Phase.RECONNECTING);
        status.set("Reconnecting…");
      }
      case ENDED -> {
        tick();
        end(endWords(c));
      }
    }
  }

  private void showMedia(Call c) {
    if (c.state() == CallState.ENDED) {
      localVideo.set(false);
      remoteVideo.set(false);
      sharingScreen.set(false);
      return;
    }
    localVideo.set(c.media().localVideo());
    remoteVideo.set(c.media().remoteVideo());
    if (c.isVideo()) {
      video.set(true); // stays a video call for the rest of it, even with both cameras off
    }
    if (c.media().localVideo()) {
      videoNote.set("");
    } else {
      c.media().videoProblem().ifPresent(videoNote::set);
    }
  }

  private void end(String words) {
    status.set(words);
    phase.set(Phase.ENDED);
    long ended = generation;
    timer.schedule(() -> tasks.ui().execute(() -> {
      if (generation == ended && phase.get() == Phase.ENDED) {
        phase.set(Phase.IDLE);
      }
    }), ENDED_SHOWN_MS, TimeUnit.MILLISECONDS);
  }

  private void tick() {
    if (call != null && call.connectedAt().isPresent()) {
      elapsed.set(duration(call.duration(clock.millis())));
    }
  }

  private void onStats(Call c, CallStats s) {
    if (call == null || !call.callId().equals(c.callId()) || call.state() == CallState.ENDED) {
      return;
    }
    quality.set(Quality.of(s));
    qualityDetails.set(details(s));
    videoQuality.set(s.video().map(CallViewModel::videoLine).orElse(""));
  }

  /**
   * "640×480 · 30 fps · 1.24 Mbit/s · loss 0.0 %": what we receive, or what we send when the peer sends no video.
   */
  public static String videoLine(VideoStats v) {
    boolean receiving = v.receivedWidth() > 0;
    int w = receiving ? v.receivedWidth() : v.sentWidth();
    int h = receiving ? v.receivedHeight() : v.sentHeight();
    double fps = receiving ? v.receivedFps() : v.sentFps();
    long bitrate = receiving ? v.inboundBitrate() : v.outboundBitrate();
    if (w == 0) {
      return "";
    }
    String line = String.format(Locale.ROOT, "%d×%d · %.0f fps · %.2f Mbit/s", w, h, fps, bitrate / 1e6);
    return receiving ? line + String.format(Locale.ROOT, " · loss %.1f %%", v.packetLoss() * 100)
        : "Sending " + line;
  }

  private static String note(Optional<String> problem) {
    return problem.map(p -> "No sound on this computer: " + p + ". The call connects, but neither side hears "
        + "the other.").orElse("");
  }

  /** The statistics in words: round trip, loss, jitter, bitrates and the path. */
  public static String details(CallStats s) {
    return String.format(Locale.ROOT, "Round trip %d ms · loss %.1f %% · jitter %d ms%nSending %.1f kbit/s · "
        + "receiving %.1f kbit/s · %s%nPath: %s → %s", s.roundTripTime().toMillis(), s.packetLoss() * 100,
        s.jitter().toMillis(), s.outboundBitrate() / 1000.0, s.inboundBitrate() / 1000.0,
        s.codec() == null || s.codec().isBlank() ? "codec not negotiated yet" : s.codec(),
        path(s.localCandidate().name()), path(s.remoteCandidate().name()));
  }

  private static String path(String candidateType) {
    return switch (candidateType) {
      case "HOST" -> "direct (host)";
      case "SRFLX", "PRFLX" -> "direct through NAT (" + candidateType.toLowerCase(Locale.ROOT) + ")";
      case "RELAY" -> "relayed (TURN)";
      default -> "unknown";
    };
  }

  /** "0:42", "12:05", "1:02:03". */
  public static String duration(Duration d) {
    long s = d.toSeconds();
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }

  /** How a call ended, for the call window. */
  static String endWords(Call c) {
    boolean out = c.direction() == CallDirection.OUTGOING;
    Duration talked = c.duration();
    CallEndReason reason = c.endReason().orElse(CallEndReason.ERROR);
    if (!talked.isZero()) {
      return "Call ended · " + duration(talked);
    }
    return switch (reason) {
      case LOCAL_HANGUP, REMOTE_HANGUP -> "Call ended";
      case CANCELLED -> out ? "Cancelled" : "Missed call";
      case DECLINED -> out ? "Declined" : "You declined";
      case BUSY -> out ? "Busy" : "Missed call (you were busy)";
      case NO_ANSWER -> out ? "No answer" : "Missed call";
      case UNAVAILABLE -> out ? "Not reachable — they will see a missed call" : "Missed call";
      case ANSWERED_ELSEWHERE -> "Answered on another device";
      case DECLINED_ELSEWHERE -> "Declined on another device";
      case CONNECTION_FAILED -> "Could not connect";
      case ERROR -> "Call failed";
    };
  }

  private record Started(Call call, Optional<String> problem, Optional<String> noCamera,
      List<VideoSource> cameras) {}

  private final class Listener implements CallListener {
    @Override
    public void incomingCall(Call c) {
      tasks.ui().execute(() -> onIncoming(c));
    }

    @Override
    public void stateChanged(Call c) {
      tasks.ui().execute(() -> update(c));
    }

    @Override
    public void statsUpdated(Call c, CallStats stats) {
      tasks.ui().execute(() -> onStats(c, stats));
    }
  }
}
