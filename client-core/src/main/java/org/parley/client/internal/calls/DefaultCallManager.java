package org.parley.client.internal.calls;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.NetworkException;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.ParleyException;
import org.parley.client.api.calls.AudioDevice;
import org.parley.client.api.calls.Call;
import org.parley.client.api.calls.CallDirection;
import org.parley.client.api.calls.CallEndReason;
import org.parley.client.api.calls.CallEntry;
import org.parley.client.api.calls.CallException;
import org.parley.client.api.calls.CallListener;
import org.parley.client.api.calls.CallManager;
import org.parley.client.api.calls.CallOptions;
import org.parley.client.api.calls.CallState;
import org.parley.client.api.calls.CallStats;
import org.parley.client.api.calls.CameraDevice;
import org.parley.client.api.calls.VideoFrameListener;
import org.parley.client.api.calls.VideoInput;
import org.parley.client.api.calls.VideoSource;
import org.parley.client.internal.proto.CallMessage;
import org.parley.client.internal.screen.ScreenCapture;
import org.parley.protocol.IceServers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The calls of one client. Every change happens on one thread ({@code parley-calls}): API calls, incoming signaling
 * and libwebrtc's callbacks are all handed to it, so a call's state needs no locks.
 */
public final class DefaultCallManager implements CallManager, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(DefaultCallManager.class);

  /** How long calls ring, connect and may stay disconnected. */
  public record Timeouts(Duration ring, Duration connect, Duration reconnect, Duration iceRestartAfter) {
    public static Timeouts defaults() {
      return new Timeouts(Duration.ofSeconds(60), Duration.ofSeconds(30), Duration.ofSeconds(30),
          Duration.ofSeconds(2));
    }
  }

  private final CallPort port;
  private final Clock clock;
  private final Timeouts timeouts;
  private final ScheduledExecutorService exec;
  private volatile Thread execThread;
  private final Map<String, CallSession> calls = new ConcurrentHashMap<>();
  private final List<CallListener> listeners = new CopyOnWriteArrayList<>();
  private final List<VideoFrameListener> videoListeners = new CopyOnWriteArrayList<>();
  private final SecureRandom random = new SecureRandom();
  private volatile boolean closed;

  public DefaultCallManager(CallPort port, Clock clock, Timeouts timeouts) {
    this.port = port;
    this.clock = clock;
    this.timeouts = timeouts;
    this.exec = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "parley-calls");
      t.setDaemon(true);
      execThread = t;
      return t;
    });
  }

  /** This manager, with the native libraries loading in the background ({@link NativeLibrary#preload}). */
  public DefaultCallManager warmedUp() {
    NativeLibrary.preload();
    return this;
  }

  CallPort port() {
    return port;
  }

  Clock clock() {
    return clock;
  }

  Timeouts timeouts() {
    return timeouts;
  }

  ScheduledExecutorService exec() {
    return exec;
  }

  List<VideoFrameListener> videoListeners() {
    return videoListeners;
  }

  // ---- API ----

  @Override
  public Call placeCall(String number, CallOptions options) throws ParleyException {
    CallPort.Self self = port.self();
    if (number == null || !number.matches("\\+[1-9][0-9]{6,14}")) {
      throw new InvalidInputException("Not a phone number: '" + number + "' (use + and 7–15 digits)");
    }
    if (number.equals(self.number())) {
      throw new InvalidInputException("Calling your own number is not supported");
    }
    if (!port.connected()) {
      throw new NetworkException("Not connected to the server; connect first");
    }
    String account = port.accountOf(number);
    return onCallThread(() -> {
      Optional<Call> active = activeCall();
      if (active.isPresent()) {
        throw new InvalidInputException("Already in a call with " + active.get().peerNumber());
      }
      long t0 = System.nanoTime();
      IceServers ice = iceServers(options.relayOnly());
      log.debug("ICE servers in {} ms", (System.nanoTime() - t0) / 1_000_000);
      String callId = HexFormat.of().formatHex(bytes(16));
      CallSession session = new CallSession(this, callId, number, account, CallDirection.OUTGOING,
          clock.millis(), self);
      calls.put(callId, session);
      session.dial(options, ice);
      return session.snapshot();
    });
  }

  private byte[] bytes(int n) {
    byte[] b = new byte[n];
    random.nextBytes(b);
    return b;
  }

  @Override
  public Call answer(String callId, CallOptions options) throws ParleyException {
    return onCallThread(() -> {
      CallSession session = find(callId);
      if (session.direction() != CallDirection.INCOMING || session.state() != CallState.RINGING) {
        throw new InvalidInputException("Call " + callId + " is not ringing here (" + session.state() + ")");
      }
      IceServers ice = iceServers(options.relayOnly());
      session.answer(options, ice);
      return session.snapshot();
    });
  }

  @Override
  public void decline(String callId) throws ParleyException {
    onCallThread(() -> {
      CallSession session = find(callId);
      if (session.direction() != CallDirection.INCOMING || session.state() != CallState.RINGING) {
        throw new InvalidInputException("Call " + callId + " is not ringing here (" + session.state() + ")");
      }
      session.decline();
      return null;
    });
  }

  @Override
  public void hangup(String callId) throws ParleyException {
    onCallThread(() -> {
      find(callId).hangup();
      return null;
    });
  }

  @Override
  public void setMuted(String callId, boolean muted) throws ParleyException {
    onCallThread(() -> {
      find(callId).setMuted(muted);
      return null;
    });
  }

  @Override
  public void startVideo(String callId, VideoSource source) throws ParleyException {
    if (source == null) {
      throw new InvalidInputException("No video source");
    }
    onCallThread(() -> {
      find(callId).startVideo(source);
      return null;
    });
  }

  @Override
  public void stopVideo(String callId) throws ParleyException {
    onCallThread(() -> {
      find(callId).stopVideo();
      return null;
    });
  }

  @Override
  public List<CameraDevice> cameras() throws CallException {
    return Cameras.list();
  }

  @Override
  public List<VideoInput> videoInputs() throws CallException {
    List<VideoInput> inputs = new ArrayList<>();
    for (CameraDevice camera : Cameras.list()) {
      inputs.add(new VideoInput(camera.name(), new VideoSource.Camera(Optional.of(camera.id()), 640, 480, 30)));
    }
    for (ScreenCapture.Screen s : ScreenCapture.screens()) {
      inputs.add(new VideoInput("Screen " + s.index() + " (" + s.width() + "\u00D7" + s.height() + ")",
          new VideoSource.Screen(Optional.of(new VideoSource.Area(s.x(), s.y(), s.width(), s.height())),
              VideoSource.SCREEN_FPS)));
    }
    return inputs;
  }

  @Override
  public void addVideoListener(VideoFrameListener listener) {
    videoListeners.add(listener);
  }

  @Override
  public void removeVideoListener(VideoFrameListener listener) {
    videoListeners.remove(listener);
  }

  @Override
  public Optional<Call> call(String callId) {
    return Optional.ofNullable(calls.get(callId)).map(CallSession::snapshot);
  }

  @Override
  public Optional<Call> activeCall() {
    return calls.values().stream().filter(s -> s.state() != CallState.ENDED).findFirst().map(CallSession::snapshot);
  }

  @Override
  public CallStats stats(String callId) throws ParleyException {
    CallSession session = onCallThread(() -> find(callId));
    return session.stats();
  }

  @Override
  public List<AudioDevice> audioInputDevices() throws CallException {
    return SystemAudio.inputs();
  }

  @Override
  public List<AudioDevice> audioOutputDevices() throws CallException {
    return SystemAudio.outputs();
  }

  @Override
  public void addListener(CallListener listener) {
    listeners.add(listener);
  }

  @Override
  public void removeListener(CallListener listener) {
    listeners.remove(listener);
  }

  /**
   * Monotonic nanos of the first audio sample we sent, the first we received and the first remote video frame in a
   * call, 0 for what did not happen (benchmarks).
   */
  public long[] mediaTimes(String callId) {
    CallSession s = calls.get(callId);
    return s == null ? new long[3] : s.mediaTimes();
  }

  /** A call's current local and remote session descriptions, empty when it has none (tests, diagnostics). */
  public String[] descriptions(String callId) throws ParleyException {
    return onCallThread(() -> find(callId).descriptions());
  }

  // ---- incoming signaling (from the inbox, after its commit) ----

  /** Call signaling from {@code accountId}'s device {@code deviceId}. */
  public void signal(String accountId, int deviceId, boolean ephemeral, CallMessage message) {
    if (closed) {
      return;
    }
    warmedUp();
    exec.execute(() -> {
      try {
        handle(accountId, deviceId, ephemeral, message);
      } catch (RuntimeException e) {
        log.warn("call signaling {} from {}.{} failed: {}", message.getKindCase(), accountId, deviceId, e.toString(),
            e);
      }
    });
  }

  private void handle(String accountId, int deviceId, boolean ephemeral, CallMessage message) {
    CallSession session = calls.get(message.getCallId());
    CallPort.Self self;
    try {
      self = port.self();
    } catch (ParleyException e) {
      return;
    }
    if (accountId.equals(self.accountId())) {
      return; // our own devices do not call each other
    }
    switch (message.getKindCase()) {
      case OFFER -> {
        if (session != null) {
          session.remoteOffer(deviceId, message.getOffer().getSdp());
        } else if (ephemeral) {
          incoming(accountId, deviceId, message, self);
        } else {
          log.warn("ignoring a stored call offer {}", message.getCallId());
        }
      }
      case MISSED -> {
        String number = port.numberOf(accountId).orElse("");
        port.record(accountId, accountId, deviceId, new CallEntry(message.getCallId(),
            CallDirection.INCOMING, CallEndReason.UNAVAILABLE, Duration.ZERO), message.getStartedAt(),
            CallEntryTexts.describe(CallDirection.INCOMING, CallEndReason.UNAVAILABLE, Duration.ZERO));
        log.info("missed call {} from {} while offline", message.getCallId(), number);
      }
      default -> {
        if (session != null && session.peerAccount().equals(accountId)) {
          session.remoteSignal(deviceId, message);
        }
      }
    }
  }

  private void incoming(String accountId, int deviceId, CallMessage message, CallPort.Self self) {
    String number = port.numberOf(accountId).orElse("?");
    Optional<Call> active = activeCall();
    if (active.isPresent()) {
      log.info("busy: call {} from {} while in call {}", message.getCallId(), number, active.get().callId());
      try {
        port.sendNow(accountId, CallMessage.newBuilder().setCallId(message.getCallId())
            .setStartedAt(message.getStartedAt()).setBusy(CallMessage.Busy.getDefaultInstance()).build());
      } catch (ParleyException e) {
        log.warn("cannot tell {} we are busy: {}", number, e.getMessage());
      }
      port.record(accountId, accountId, deviceId, new CallEntry(message.getCallId(),
          CallDirection.INCOMING, CallEndReason.BUSY, Duration.ZERO), message.getStartedAt(),
          CallEntryTexts.describe(CallDirection.INCOMING, CallEndReason.BUSY, Duration.ZERO));
      return;
    }
    CallSession session = new CallSession(this, message.getCallId(), number, accountId, CallDirection.INCOMING,
        message.getStartedAt(), self);
    calls.put(message.getCallId(), session);
    session.ring(deviceId, message.getOffer().getSdp());
    Call call = session.snapshot();
    fire(l -> l.incomingCall(call));
  }

  // ---- helpers ----

  private CallSession find(String callId) throws NotFoundException {
    CallSession session = calls.get(callId);
    if (session == null) {
      throw new NotFoundException("No call " + callId);
    }
    return session;
  }

  private IceServers iceServers(boolean relayOnly) throws ParleyException {
    return IceServersCheck.usable(port.iceServers(), relayOnly, clock.instant());
  }

  void fire(Consumer<CallListener> event) {
    for (CallListener listener : listeners) {
      try {
        event.accept(listener);
      } catch (RuntimeException e) {
        log.warn("a call listener failed: {}", e.toString());
      }
    }
  }

  /** Runs {@code task} on the call thread and waits for it, passing checked exceptions on. */
  private <T> T onCallThread(Callable<T> task) throws ParleyException {
    if (closed) {
      throw new CallException("The client is closed");
    }
    if (Thread.currentThread() == execThread) {
      try {
        return task.call();
      } catch (ParleyException | RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new CallException(e.toString(), e);
      }
    }
    Future<T> future = exec.submit(task);
    try {
      return future.get(60, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ParleyException p) {
        throw p;
      }
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      throw new CallException(String.valueOf(cause), cause);
    } catch (TimeoutException e) {
      future.cancel(false);
      throw new CallException("The call thread did not answer within 60 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CallException("Interrupted", e);
    }
  }

  /** Hangs up every call and stops the call thread. */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    if (execThread == null) {
      closed = true; // no call ever ran: nothing to hang up, and no thread to start just to stop it
      exec.shutdown();
      return;
    }
    try {
      onCallThread(() -> {
        for (CallSession session : calls.values()) {
          if (session.state() != CallState.ENDED) {
            session.hangup();
          }
        }
        return null;
      });
    } catch (ParleyException | RuntimeException e) {
      log.warn("hanging up on close: {}", e.toString());
    }
    closed = true;
    exec.shutdown();
    try {
      exec.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
