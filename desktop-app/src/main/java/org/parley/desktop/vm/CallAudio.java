package org.parley.desktop.vm;

import java.util.List;
import java.util.Optional;
import org.parley.client.api.ParleyException;
import org.parley.client.api.calls.AudioDevice;
import org.parley.client.api.calls.AudioIo;

/**
 * Where calls' sound comes from and goes to. Every method may block (the first one finds out whether the machine
 * has usable sound at all), so ViewModels call them on the io thread.
 */
public interface CallAudio {

  /** Why calls carry no sound on this machine, or empty when the real microphone and speaker are used. */
  Optional<String> problem();

  /** The audio for the next call: the chosen devices, or silence when {@link #problem()} is present. */
  AudioIo audio();

  /** Microphones (empty when there is a {@link #problem()}). */
  List<AudioDevice> microphones() throws ParleyException;

  /** Speakers (empty when there is a {@link #problem()}). */
  List<AudioDevice> speakers() throws ParleyException;

  /** The chosen microphone's id; empty for the system default. */
  Optional<String> microphone();

  /** The chosen speaker's id; empty for the system default. */
  Optional<String> speaker();

  /** Remembers the choice (empty: the system default). */
  void choose(Optional<String> microphone, Optional<String> speaker) throws ParleyException;

  /** Always silent: tests, and machines where the person turned sound off. */
  static CallAudio silent(String why) {
    return new CallAudio() {
      @Override
      public Optional<String> problem() {
        return Optional.of(why);
      }

      @Override
      public AudioIo audio() {
        return AudioIo.silent();
      }

      @Override
      public List<AudioDevice> microphones() {
        return List.of();
      }

      @Override
      public List<AudioDevice> speakers() {
        return List.of();
      }

      @Override
      public Optional<String> microphone() {
        return Optional.empty();
      }

      @Override
      public Optional<String> speaker() {
        return Optional.empty();
      }

      @Override
      public void choose(Optional<String> microphone, Optional<String> speaker) {}
    };
  }
}
