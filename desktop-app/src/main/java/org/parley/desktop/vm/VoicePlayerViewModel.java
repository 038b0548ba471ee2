package org.parley.desktop.vm;

import java.io.IOException;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.LongFunction;
import org.parley.client.api.ParleyException;
import org.parley.client.api.voice.VoiceNoteAudio;

/**
 * Plays a conversation's voice notes, one at a time: play/pause, seek, 1× / 1.5× / 2× with the pitch kept
 * ({@link TimeStretch}), and on to the next voice note when one ends. Decoding (client-core) runs on the file
 * thread, playback on a thread of its own that writes to the {@link Speaker}; the state is changed on the UI thread.
 */
public final class VoicePlayerViewModel {

  /** The speeds the speed button cycles through. */
  public static final List<Double> SPEEDS = List.of(1.0, 1.5, 2.0);

  /**
   * The voice note the bubbles show as current.
   *
   * @param attachmentId -1 when none is
   * @param positionMillis how far it has played (or where it was paused or sought to)
   */
  public record Playback(long attachmentId, boolean playing, long positionMillis, long durationMillis) {
    public static final Playback NONE = new Playback(-1, false, 0, 0);

    /** The played part, 0 … 1. */
    public double fraction() {
      return durationMillis <= 0 ? 0 : Math.min(1, (double) positionMillis / durationMillis);
    }
  }

  /** Turns a stored voice note into PCM (client-core's decodeVoiceNote). */
  public interface Decoder {
    VoiceNoteAudio decode(long attachmentId) throws ParleyException;
  }

  public final Value<Playback> playback = new Value<>(Playback.NONE);
  public final Value<Double> speed = new Value<>(1.0);
  /** No speaker, a file that cannot be decoded…; empty otherwise. */
  public final Value<String> notice = new Value<>("");

  private final Decoder decoder;
  private final Speaker speaker;
  private final Tasks fileTasks;
  private final LongFunction<OptionalLong> nextAfter;
  private long decodedId = -1;
  private short[] decoded;
  private int decodedRate;
  private Session session;
  private long generation;

  /**
   * @param fileTasks the thread to decode on, and the UI executor
   * @param nextAfter the voice note to play after the given one ends, if any (the conversation knows)
   */
  public VoicePlayerViewModel(Decoder decoder, Speaker speaker, Tasks fileTasks, LongFunction<OptionalLong> nextAfter) {
    this.decoder = decoder;
    this.speaker = speaker;
    this.fileTasks = fileTasks;
    this.nextAfter = nextAfter;
  }

  /** The bubble's ▶/⏸: plays {@code attachmentId} from where it stands, or pauses it. */
  public void toggle(long attachmentId) {
    Playback now = playback.get();
    if (now.attachmentId() == attachmentId && now.playing()) {
      pause();
      return;
    }
    long from = now.attachmentId() == attachmentId && now.positionMillis() < now.durationMillis()
        ? now.positionMillis() : 0;
    play(attachmentId, from);
  }

  /** A click on the waveform: {@code fraction} of the way in; keeps playing if it was. */
  public void seek(long attachmentId, long durationMillis, double fraction) {
    double f = Math.max(0, Math.min(1, fraction));
    Playback now = playback.get();
    boolean same = now.attachmentId() == attachmentId;
    long duration = same && now.durationMillis() > 0 ? now.durationMillis() : durationMillis;
    long at = Math.round(f * duration);
    if (same && now.playing()) {
      play(attachmentId, at);
    } else {
      stopSession();
      playback.set(new Playback(attachmentId, false, at, duration));
    }
  }

  /** 1× → 1.5× → 2× → 1×; applies at once to what is playing. */
  public void cycleSpeed() {
    int i = SPEEDS.indexOf(speed.get());
    speed.set(SPEEDS.get((i + 1) % SPEEDS.size()));
  }

  public static String speedLabel(double speed) {
    return speed == 1.5 ? "1.5×" : (int) speed + "×";
  }

  public void pause() {
    Playback now = playback.get();
    Session s = session;
    stopSession();
    long at = s == null ? now.positionMillis() : s.positionMillis();
    playback.set(new Playback(now.attachmentId(), false, at, now.durationMillis()));
  }

  /** The conversation closes. */
  public void close() {
    stopSession();
  }

  private void play(long attachmentId, long fromMillis) {
    stopSession();
    notice.set("");
    long gen = ++generation;
    if (decodedId == attachmentId) {
      start(attachmentId, fromMillis, gen);
      return;
    }
    Playback now = playback.get();
    playback.set(new Playback(attachmentId, false, fromMillis,
        now.attachmentId() == attachmentId ? now.durationMillis() : 0));
    fileTasks.run(() -> mono(decoder.decode(attachmentId)), audio -> {
      if (gen != generation) {
        return;
      }
      decodedId = attachmentId;
      decoded = audio.samples();
      decodedRate = audio.sampleRate();
      start(attachmentId, fromMillis, gen);
    }, message -> {
      if (gen == generation) {
        notice.set("Cannot play this voice note: " + message);
      }
    });
  }

  private void start(long attachmentId, long fromMillis, long gen) {
    long duration = decoded.length * 1000L / decodedRate;
    long from = fromMillis >= duration ? 0 : fromMillis;
    playback.set(new Playback(attachmentId, true, from, duration));
    session = new Session(attachmentId, decoded, decodedRate, (int) (from * decodedRate / 1000), gen);
    session.thread.start();
  }

  private void stopSession() {
    Session s = session;
    session = null;
    generation++;
    if (s != null) {
      s.stop();
    }
  }

  /** A playback session's progress or end, applied if it is still the current one. */
  private void fromSession(Session s, Runnable change) {
    fileTasks.ui().execute(() -> {
      if (session == s) {
        change.run();
      }
    });
  }

  private void ended(Session s) {
    session = null;
    long id = s.attachmentId;
    Playback now = playback.get();
    playback.set(new Playback(id, false, 0, now.durationMillis()));
    OptionalLong next = nextAfter.apply(id);
    if (next.isPresent()) {
      play(next.getAsLong(), 0);
    }
  }

  /** One run of playback: the time stretch feeding the speaker until the end, a pause or a seek. */
  private final class Session {
    final long attachmentId;
    final Thread thread;
    private final TimeStretch stretch;
    private final int rate;
    private volatile boolean stopped;
    private volatile Speaker.Output output;

    Session(long attachmentId, short[] pcm, int rate, int fromSample, long gen) {
      this.attachmentId = attachmentId;
      this.rate = rate;
      this.stretch = new TimeStretch(pcm, rate);
      stretch.seek(fromSample);
      this.thread = new Thread(this::run, "voice-player");
      thread.setDaemon(true);
    }

    long positionMillis() {
      return stretch.position() * 1000L / rate;
    }

    synchronized void stop() {
      stopped = true;
      if (output != null) {
        output.close();
      }
    }

    private void run() {
      Speaker.Output out;
      try {
        out = speaker.open(rate);
      } catch (NoSoundDeviceException | RuntimeException e) {
        String message = e instanceof NoSoundDeviceException ? e.getMessage() : "The speaker failed: " + e;
        fromSession(this, () -> {
          session = null;
          Playback now = playback.get();
          playback.set(new Playback(now.attachmentId(), false, now.positionMillis(), now.durationMillis()));
          notice.set(message);
        });
        return;
      }
      synchronized (this) {
        output = out;
        if (stopped) {
          out.close();
          return;
        }
      }
      short[] block = new short[stretch.hop()];
      int blocksPerUpdate = Math.max(1, rate / 10 / block.length);
      int blocks = 0;
      try {
        while (!stopped) {
          // Read once per block: the speed button changes it while playing.
          int n = stretch.next(block, speed.get());
          if (n == 0) {
            out.drain();
            break;
          }
          out.write(block, n);
          if (++blocks % blocksPerUpdate == 0) {
            long at = positionMillis();
            fromSession(this, () -> {
              Playback now = playback.get();
              playback.set(new Playback(attachmentId, true, at, now.durationMillis()));
            });
          }
        }
      } catch (IOException | RuntimeException e) {
        if (!stopped) {
          String message = "Playback failed: " + e.getMessage();
          fromSession(this, () -> {
            session = null;
            notice.set(message);
            Playback now = playback.get();
            playback.set(new Playback(attachmentId, false, positionMillis(), now.durationMillis()));
          });
        }
        out.close();
        return;
      }
      out.close();
      if (!stopped) {
        fromSession(this, () -> ended(this));
      }
    }
  }

  /** Voice notes are speech: a stereo file (from another app) is mixed to one channel. */
  private static VoiceNoteAudio mono(VoiceNoteAudio audio) {
    if (audio.channels() == 1) {
      return audio;
    }
    int frames = audio.frames();
    short[] out = new short[frames];
    short[] in = audio.samples();
    int ch = audio.channels();
    for (int f = 0; f < frames; f++) {
      int sum = 0;
      for (int c = 0; c < ch; c++) {
        sum += in[f * ch + c];
      }
      out[f] = (short) (sum / ch);
    }
    return new VoiceNoteAudio(audio.sampleRate(), 1, out);
  }

  /** "m:ss" (or "h:mm:ss") for a timer or a duration. */
  public static String clock(long millis) {
    long s = Math.max(0, millis) / 1000;
    if (s >= 3600) {
      return String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60);
    }
    return String.format("%d:%02d", s / 60, s % 60);
  }
}
