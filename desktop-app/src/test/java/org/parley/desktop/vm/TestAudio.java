package org.parley.desktop.vm;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.parley.testing.Tones;

/**
 * Sound for voice note tests, on top of the project's {@link Tones}: tones as samples, their dominant frequency
 * (found by scanning Tones' Goertzel), a microphone the test feeds (Java Sound is outside
 * the project and this machine has no sound card) and a speaker that keeps what it was given.
 */
final class TestAudio {

  private TestAudio() {}

  static short[] sine(double hz, double seconds, int rate, double amplitude) {
    short[] out = new short[(int) Math.round(seconds * rate)];
    for (int i = 0; i < out.length; i++) {
      out[i] = (short) Math.round(amplitude * Short.MAX_VALUE * Math.sin(2 * Math.PI * hz * i / rate));
    }
    return out;
  }

  /** The strongest frequency between 50 Hz and 4 kHz, to 5 Hz, in half a second from a quarter in. */
  static double dominantHz(short[] pcm, int count, int rate) {
    int from = count / 4;
    int to = from + Math.min(count - from, rate / 2);
    double bestHz = 0;
    double best = -1;
    for (double hz = 50; hz <= 4000; hz += 5) {
      double power = Tones.power(pcm, from, to, hz, rate);
      if (power > best) {
        best = power;
        bestHz = hz;
      }
    }
    return bestHz;
  }

  static Path wav(Path file, short[] pcm, int rate) throws IOException {
    try (WavWriter w = new WavWriter(file, rate)) {
      w.write(pcm, pcm.length);
    }
    return file;
  }

  /** A microphone whose samples the test hands over with {@link #feed}; it blocks like a real one in between. */
  static final class FedMicrophone implements Microphone {
    final int rate;
    final BlockingQueue<short[]> chunks = new LinkedBlockingQueue<>();
    volatile int opened;
    volatile boolean closed;

    FedMicrophone(int rate) {
      this.rate = rate;
    }

    /** Hands over {@code pcm} in 50 ms pieces. */
    void feed(short[] pcm) {
      int piece = rate / 20;
      for (int i = 0; i < pcm.length; i += piece) {
        short[] c = new short[Math.min(piece, pcm.length - i)];
        System.arraycopy(pcm, i, c, 0, c.length);
        chunks.add(c);
      }
    }

    @Override
    public Capture open() {
      opened++;
      closed = false;
      return new Capture() {
        private short[] rest;

        @Override
        public int sampleRate() {
          return rate;
        }

        @Override
        public int read(short[] into) throws IOException {
          try {
            while (!closed) {
              short[] c = rest != null ? rest : chunks.poll(20, TimeUnit.MILLISECONDS);
              rest = null;
              if (c == null) {
                continue;
              }
              int n = Math.min(c.length, into.length);
              System.arraycopy(c, 0, into, 0, n);
              if (n < c.length) {
                rest = Arrays.copyOfRange(c, n, c.length);
              }
              return n;
            }
            return -1;
          } catch (InterruptedException e) {
            throw new IOException(e);
          }
        }

        @Override
        public void close() {
          closed = true;
        }
      };
    }
  }

  /** A speaker that keeps every sample written to it, as fast as it is given (no pacing). */
  static final class KeepingSpeaker implements Speaker {
    final List<short[]> played = new ArrayList<>();
    volatile int opened;
    volatile int rate;

    synchronized short[] all() {
      int n = played.stream().mapToInt(p -> p.length).sum();
      short[] out = new short[n];
      int at = 0;
      for (short[] p : played) {
        System.arraycopy(p, 0, out, at, p.length);
        at += p.length;
      }
      return out;
    }

    synchronized void clear() {
      played.clear();
    }

    @Override
    public Output open(int sampleRate) {
      opened++;
      rate = sampleRate;
      return new Output() {
        @Override
        public void write(short[] samples, int count) {
          synchronized (KeepingSpeaker.this) {
            played.add(Arrays.copyOf(samples, count));
          }
        }

        @Override
        public void drain() { }

        @Override
        public void close() { }
      };
    }
  }
}
