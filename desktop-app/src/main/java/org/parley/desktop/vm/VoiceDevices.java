package org.parley.desktop.vm;

/** The microphone voice notes are recorded from and the speaker they play on. */
public record VoiceDevices(Microphone microphone, Speaker speaker) {

  /** No devices at all (ViewModels made without the app's wiring, e.g. in tests that do not use voice notes). */
  public static final VoiceDevices NONE = new VoiceDevices(() -> {
    throw new NoSoundDeviceException("No microphone found: voice notes cannot be recorded here");
  }, rate -> {
    throw new NoSoundDeviceException("No speaker found: voice notes cannot be played here");
  });
}
