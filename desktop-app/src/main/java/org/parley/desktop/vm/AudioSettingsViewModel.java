package org.parley.desktop.vm;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.client.api.calls.AudioDevice;

/** Settings → Calls: which microphone and speaker calls use (client-core's device lists), or why there is none. */
public final class AudioSettingsViewModel {

  /** A choice in a device list; an empty id is "the system default". */
  public record Choice(String id, String label) {
    @Override
    public String toString() {
      return label;
    }
  }

  public final Value<List<Choice>> microphones = new Value<>(List.of());
  public final Value<List<Choice>> speakers = new Value<>(List.of());
  public final Value<Choice> microphone = new Value<>(null);
  public final Value<Choice> speaker = new Value<>(null);
  /** "Looking for sound devices…", the reason there is no sound, or blank. */
  public final Value<String> note = new Value<>("");
  public final Value<Boolean> available = new Value<>(false);
  public final Value<String> error = new Value<>("");

  private final CallAudio audio;
  private final Tasks tasks;

  public AudioSettingsViewModel(CallAudio audio, Tasks tasks) {
    this.audio = audio;
    this.tasks = tasks;
  }

  /** Reads the device lists (the first time this also checks the sound system, which takes a moment). */
  public void load() {
    note.set("Looking for sound devices…");
    tasks.run(() -> {
      Optional<String> problem = audio.problem();
      if (problem.isPresent()) {
        return new Devices(problem, List.of(), List.of(), Optional.empty(), Optional.empty());
      }
      return new Devices(problem, audio.microphones(), audio.speakers(), audio.microphone(), audio.speaker());
    }, d -> {
      available.set(d.problem.isEmpty());
      note.set(d.problem.map(p -> "No sound on this computer: " + p + ". Calls connect, but without sound.")
          .orElse(""));
      List<Choice> mics = choices(d.microphones);
      List<Choice> outs = choices(d.speakers);
      microphones.set(mics);
      speakers.set(outs);
      microphone.set(pick(mics, d.microphone));
      speaker.set(pick(outs, d.speaker));
    }, message -> {
      note.set("");
      error.set("Cannot list the sound devices: " + message);
    });
  }

  public void chooseMicrophone(Choice choice) {
    if (choice == null || choice.equals(microphone.get())) {
      return;
    }
    microphone.set(choice);
    save();
  }

  public void chooseSpeaker(Choice choice) {
    if (choice == null || choice.equals(speaker.get())) {
      return;
    }
    speaker.set(choice);
    save();
  }

  private void save() {
    Optional<String> mic = id(microphone.get());
    Optional<String> out = id(speaker.get());
    error.set("");
    tasks.run(() -> {
      audio.choose(mic, out);
      return null;
    }, x -> { }, error::set);
  }

  private static Optional<String> id(Choice c) {
    return c == null || c.id().isEmpty() ? Optional.empty() : Optional.of(c.id());
  }

  private static List<Choice> choices(List<AudioDevice> devices) {
    List<Choice> out = new ArrayList<>();
    String def = devices.stream().filter(AudioDevice::isDefault).map(AudioDevice::name).findFirst()
        .map(n -> " (" + n + ")").orElse("");
    out.add(new Choice("", "System default" + def));
    for (AudioDevice d : devices) {
      out.add(new Choice(d.id(), d.name()));
    }
    return List.copyOf(out);
  }

  private static Choice pick(List<Choice> choices, Optional<String> id) {
    return choices.stream().filter(c -> c.id().equals(id.orElse(""))).findFirst().orElse(choices.get(0));
  }

  private record Devices(Optional<String> problem, List<AudioDevice> microphones, List<AudioDevice> speakers,
      Optional<String> microphone, Optional<String> speaker) {}
}
