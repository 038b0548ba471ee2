package org.parley.client.internal.calls;

import dev.onvoid.webrtc.PeerConnectionFactory;
import dev.onvoid.webrtc.media.audio.AudioTrack;
import dev.onvoid.webrtc.media.audio.AudioTrackSink;
import dev.onvoid.webrtc.media.audio.CustomAudioSource;
import dev.onvoid.webrtc.media.audio.HeadlessAudioDeviceModule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.locks.LockSupport;
import org.parley.client.api.calls.AudioIo;
import org.parley.client.api.calls.CallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Headless audio: a WAV file is pushed into a {@link CustomAudioSource} in 10 ms frames, and the peer's audio,
 * pulled by a {@link HeadlessAudioDeviceModule}'s playout thread, is collected from the remote track and written
 * to a WAV file (16 kHz mono) at the end.
 *
 * <p>libwebrtc starts the module's (silent) recording when the call starts sending; two threads feeding the send
 * stream at once abort the process natively ("race_checker" in audio_send_stream.cc). So the pump starts only once
 * connected and stops the module's recording before every frame it pushes (a cheap no-op once stopped): stopping
 * only once at the connection was not enough, the recording sometimes started after it.
 */
final class WavMedia extends CallMedia {

  private static final Logger log = LoggerFactory.getLogger(WavMedia.class);
  private static final int RECORD_RATE = 16_000;

  private final Optional<Wav.Pcm> play;
  private final Optional<Path> recordTo;
  private final HeadlessAudioDeviceModule adm;
  private final PeerConnectionFactory factory;
  private final CustomAudioSource source;
  private final AudioTrack track;
  private final Recorder recorder = new Recorder();
  private volatile boolean muted;
  private volatile boolean running = true;
  private volatile long firstSent;
  private Thread pump;
  private AudioTrack remote;

  WavMedia(AudioIo.WavFiles files) throws CallException {
    try {
      this.play = files.play().isPresent() ? Optional.of(Wav.read(files.play().get())) : Optional.empty();
    } catch (IOException e) {
      throw new CallException("Cannot play " + files.play().get() + ": " + e.getMessage(), e);
    }
    this.recordTo = files.record();
    this.adm = new HeadlessAudioDeviceModule();
    this.factory = new PeerConnectionFactory(adm);
    adm.initPlayout();
    adm.startPlayout();
    this.source = new CustomAudioSource();
    this.track = factory.createAudioTrack("parley-audio", source);
  }

  @Override
  public PeerConnectionFactory factory() {
    return factory;
  }

  @Override
  public AudioTrack localTrack() {
    return track;
  }

  @Override
  public synchronized void remoteTrack(AudioTrack track) {
    if (remote == null) {
      remote = track;
      track.addSink(recorder);
    }
  }

  @Override
  public synchronized void connected() {
    adm.stopRecording();
    if (pump == null) {
      pump = new Thread(this::pump, "parley-call-audio-out");
      pump.setDaemon(true);
      pump.start();
    }
  }

  @Override
  public void setMuted(boolean muted) {
    this.muted = muted;
  }

  @Override
  public long firstSentNanos() {
    return firstSent;
  }

  @Override
  public long firstReceivedNanos() {
    return recorder.first;
  }

  private void pump() {
    int rate = play.map(Wav.Pcm::sampleRate).orElse(RECORD_RATE);
    int channels = play.map(Wav.Pcm::channels).orElse(1);
    int frames = rate / 100;
    short[] samples = play.map(Wav.Pcm::samples).orElse(new short[0]);
    byte[] buffer = new byte[frames * channels * 2];
    int position = 0;
    long next = System.nanoTime();
    firstSent = next;
    while (running) {
      Arrays.fill(buffer, (byte) 0);
      if (!muted) {
        for (int i = 0; i < frames * channels && position + i < samples.length; i++) {
          short s = samples[position + i];
          buffer[2 * i] = (byte) s;
          buffer[2 * i + 1] = (byte) (s >> 8);
        }
      }
      position += frames * channels;
      // libwebrtc (re)starts the module's recording when sending starts, possibly after we were told of the
      // connection; a no-op when it is stopped, and it joins the module's capture thread when it is not.
      adm.stopRecording();
      source.pushAudio(buffer, 16, rate, channels, frames);
      next += 10_000_000L;
      long wait = next - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      } else if (wait < -200_000_000L) {
        next = System.nanoTime(); // far behind (a paused machine): do not burst to catch up
      }
    }
  }

  @Override
  public synchronized void close() {
    running = false;
    if (pump != null) {
      try {
        pump.join(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    if (remote != null) {
      remote.removeSink(recorder);
    }
    adm.stopPlayout();
    track.dispose();
    source.dispose();
    factory.dispose();
    adm.dispose();
    if (recordTo.isPresent()) {
      try {
        Wav.write(recordTo.get(), new Wav.Pcm(RECORD_RATE, 1, recorder.samples()));
      } catch (IOException e) {
        log.warn("cannot write the recording {}: {}", recordTo.get(), e.toString());
      }
    }
  }

  /** Collects the peer's audio as 16 kHz mono (averaging when the track delivers a multiple of 16 kHz). */
  private static final class Recorder implements AudioTrackSink {
    private short[] data = new short[RECORD_RATE * 10];
    private int size;
    private double carry;
    volatile long first;

    @Override
    public synchronized void onData(byte[] audio, int bits, int rate, int channels, int frames) {
      if (bits != 16 || channels < 1) {
        return;
      }
      if (first == 0) {
        first = System.nanoTime();
      }
      int factor = rate % RECORD_RATE == 0 ? rate / RECORD_RATE : 0;
      if (factor >= 1) {
        for (int f = 0; f + factor <= frames; f += factor) {
          long sum = 0;
          for (int k = 0; k < factor; k++) {
            sum += mono(audio, f + k, channels);
          }
          append((short) (sum / factor));
        }
      } else {
        // Other rates: nearest-sample resampling, good enough for a record of what arrived.
        double step = (double) rate / RECORD_RATE;
        for (double pos = carry; pos < frames; pos += step) {
          append((short) mono(audio, (int) pos, channels));
          carry = pos + step - frames;
        }
      }
    }

    private static int mono(byte[] audio, int frame, int channels) {
      int sum = 0;
      for (int c = 0; c < channels; c++) {
        int i = 2 * (frame * channels + c);
        sum += (short) ((audio[i] & 0xff) | (audio[i + 1] << 8));
      }
      return sum / channels;
    }

    private void append(short s) {
      if (size == data.length) {
        data = Arrays.copyOf(data, data.length * 2);
      }
      data[size++] = s;
    }

    synchronized short[] samples() {
      return Arrays.copyOf(data, size);
    }
  }
}
