package org.parley.desktop.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The composer's microphone: press and hold records and release sends; a short click records hands-free until Send;
 * Cancel, Escape or releasing away from the button throws the recording away. While recording: a running timer and
 * a level meter. A recording stops and is sent at {@link #maxLength}. The audio goes to a WAV file in the app's
 * private directory and from there to client-core, which encodes the voice note.
 */
public final class VoiceRecorderViewModel {

  /** Where the recorder is. */
  public enum State {
    /** Not recording. */
    IDLE,
    /** Recording while the button is held; release sends. */
    HOLDING,
    /** Recording after a click; the strip's Send sends. */
    HANDS_FREE,
    /** The recording is being finished and handed to client-core. */
    SENDING
  }

  /** The longest voice note recorded here (client-core accepts 30 minutes; 15 keeps the file and the wait small). */
  public static final Duration MAX_LENGTH = Duration.ofMinutes(15);
  /** A press released sooner than this is a click: it switches to hands-free recording instead of sending. */
  static final long CLICK_MILLIS = 350;
  /** A recording shorter than this is not sent (a slip of the finger). */
  static final long MIN_MILLIS = 300;
  /** The timer and meter are updated this often (in recorded time). */
  private static final int UPDATES_PER_SECOND = 20;

  /** Where a finished recording goes (to client-core's sendVoiceNote; the receiver deletes the file). */
  public interface Sender {
    void send(Path wav);
  }

  /** Makes an empty file for a recording. */
  public interface FileMaker {
    Path newFile() throws IOException;
  }

  public final Value<State> state = new Value<>(State.IDLE);
  /** "0:07", the recorded length. */
  public final Value<String> elapsed = new Value<>("0:00");
  /** The microphone's level, 0 (silence, −60 dBFS and below) … 1 (full scale). */
  public final Value<Double> level = new Value<>(0.0);
  /** What the person should know: no microphone, the length limit, a failure; empty otherwise. */
  public final Value<String> notice = new Value<>("");

  private final Microphone microphone;
  private final FileMaker files;
  private final Sender sender;
  private final Executor ui;
  private final Clock clock;
  private final Duration maxLength;
  private Recording recording;
  private long pressedAt;

  public VoiceRecorderViewModel(Microphone microphone, FileMaker files, Sender sender, Executor ui, Clock clock) {
    this(microphone, files, sender, ui, clock, MAX_LENGTH);
  }

  VoiceRecorderViewModel(Microphone microphone, FileMaker files, Sender sender, Executor ui, Clock clock,
      Duration maxLength) {
    this.microphone = microphone;
    this.files = files;
    this.sender = sender;
    this.ui = ui;
    this.clock = clock;
    this.maxLength = maxLength;
  }

  /** The microphone button went down: recording starts (the device opens on the recording's own thread). */
  public void press() {
    if (state.get() == State.HANDS_FREE) {
      send();
      return;
    }
    if (state.get() != State.IDLE) {
      return;
    }
    notice.set("");
    elapsed.set("0:00");
    level.set(0.0);
    pressedAt = clock.millis();
    state.set(State.HOLDING);
    recording = new Recording();
    recording.start();
  }

  /** The button came up over itself: a long press sends, a click keeps recording hands-free. */
  public void release() {
    if (state.get() != State.HOLDING) {
      return;
    }
    if (clock.millis() - pressedAt < CLICK_MILLIS) {
      state.set(State.HANDS_FREE);
    } else {
      send();
    }
  }

  /** Throws the recording away (Cancel, Escape, releasing away from the button). */
  public void cancel() {
    if (state.get() != State.HOLDING && state.get() != State.HANDS_FREE) {
      return;
    }
    Recording r = recording;
    recording = null;
    state.set(State.IDLE);
    level.set(0.0);
    r.stop(path -> deleteQuietly(path));
  }

  /** Stops recording and sends what was recorded. */
  public void send() {
    if (state.get() != State.HOLDING && state.get() != State.HANDS_FREE) {
      return;
    }
    finish("");
  }

  /** The conversation closes: a recording in progress is thrown away. */
  public void close() {
    cancel();
  }

  public boolean recording() {
    return state.get() == State.HOLDING || state.get() == State.HANDS_FREE;
  }

  private void finish(String why) {
    Recording r = recording;
    recording = null;
    state.set(State.SENDING);
    level.set(0.0);
    r.stop(path -> {
      state.set(State.IDLE);
      if (path == null) {
        notice.set(r.failure);
        return;
      }
      if (r.millis() < MIN_MILLIS) {
        deleteQuietly(path);
        notice.set("Too short to send: hold the microphone while you speak, or click it to record hands-free");
        return;
      }
      notice.set(why);
      sender.send(path);
    });
  }

  /** Events from the recording thread, applied on the UI thread if that recording is still the current one. */
  private void fromRecording(Recording r, Runnable change) {
    ui.execute(() -> {
      if (recording == r) {
        change.run();
      }
    });
  }

  /** One recording: its thread reads the microphone into the WAV file until it is stopped. */
  private final class Recording {
    private final Thread thread = new Thread(this::run, "voice-recorder");
    private volatile boolean stopping;
    private volatile Microphone.Capture capture;
    private volatile long samples;
    private volatile int sampleRate = 1;
    private Consumer<Path> whenStopped;
    private Path file;
    private volatile String failure = "";

    void start() {
      thread.setDaemon(true);
      thread.start();
    }

    long millis() {
      return samples * 1000 / sampleRate;
    }

    /** Ends the recording; {@code done} gets the finished file (null if there is none) on the UI thread. */
    void stop(Consumer<Path> done) {
      synchronized (this) {
        whenStopped = done;
        stopping = true;
        Microphone.Capture c = capture;
        if (c != null) {
          c.close();
        }
      }
    }

    private void run() {
      Microphone.Capture c;
      try {
        c = microphone.open();
      } catch (NoSoundDeviceException | RuntimeException e) {
        failed(e instanceof NoSoundDeviceException ? e.getMessage() : "The microphone failed: " + e);
        return;
      }
      synchronized (this) {
        capture = c;
        if (stopping) {
          c.close();
        }
      }
      sampleRate = c.sampleRate();
      long limit = maxLength.toMillis() * sampleRate / 1000;
      short[] buffer = new short[Math.max(1, sampleRate / UPDATES_PER_SECOND)];
      boolean full = false;
      try {
        file = files.newFile();
        try (WavWriter wav = new WavWriter(file, sampleRate)) {
          while (!stopping && !full) {
            int n = c.read(buffer);
            if (n < 0) {
              break;
            }
            n = (int) Math.min(n, limit - wav.samples());
            wav.write(buffer, n);
            samples = wav.samples();
            full = samples >= limit;
            double meter = meter(buffer, n);
            long length = samples * 1000 / sampleRate;
            fromRecording(this, () -> {
              elapsed.set(VoicePlayerViewModel.clock(length));
              level.set(meter);
            });
          }
        }
      } catch (IOException | RuntimeException e) {
        if (!stopping) {
          c.close();
          deleteQuietly(file);
          failed("Recording failed: " + e.getMessage());
          return;
        }
        // closing the device under a blocked read may end it with an exception: that is a normal stop
      }
      c.close();
      if (!stopping) {
        String why = full ? "Recording stopped at " + VoicePlayerViewModel.clock(maxLength.toMillis())
            + ", the longest a voice note can be here; it was sent"
            : "The microphone stopped; what was recorded was sent";
        fromRecording(this, () -> finish(why));
      }
      ended(file);
    }

    private void failed(String message) {
      failure = message;
      fromRecording(this, () -> {
        recording = null;
        state.set(State.IDLE);
        notice.set(message);
      });
      ended(null);
    }

    /** Hands the file to whoever stopped the recording (once they have). */
    private void ended(Path path) {
      ui.execute(() -> {
        Consumer<Path> done;
        synchronized (this) {
          done = whenStopped;
        }
        if (done != null) {
          done.accept(path);
        } else {
          // Only a recording that failed ends before it is stopped (finish() is queued before this otherwise).
          deleteQuietly(path);
        }
      });
    }
  }

  /** The meter's reading for a block: its RMS on a 60 dB scale. */
  static double meter(short[] pcm, int count) {
    if (count <= 0) {
      return 0;
    }
    double sum = 0;
    for (int i = 0; i < count; i++) {
      sum += (double) pcm[i] * pcm[i];
    }
    double rms = Math.sqrt(sum / count) / 32768.0;
    if (rms <= 0) {
      return 0;
    }
    return Math.max(0, Math.min(1, (20 * Math.log10(rms) + 60) / 60));
  }

  private static void deleteQuietly(Path file) {
    if (file == null) {
      return;
    }
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // the private directory is cleared at exit
    }
  }
}
