package org.parley.desktop.audio;

import dev.onvoid.webrtc.media.MediaDevices;
import dev.onvoid.webrtc.media.audio.AudioDeviceModule;

/**
 * Run in a child JVM by {@link SoundCheck}: opens libwebrtc's platform audio device module and lists the devices,
 * the same native code a call with real devices runs. Without a sound system that code throws, hangs or aborts
 * the process — which is why it runs here and not in the app. Prints {@code ok IN OUT} (device counts) and exits
 * 0, or prints the problem and exits 3.
 */
public final class SoundProbe {

  private SoundProbe() {}

  public static void main(String[] args) {
    try {
      AudioDeviceModule adm = new AudioDeviceModule();
      int in = adm.getRecordingDevices().size();
      int out = adm.getPlayoutDevices().size();
      adm.dispose();
      // What CallManager.audioInputDevices()/audioOutputDevices() use.
      MediaDevices.getAudioCaptureDevices();
      MediaDevices.getAudioRenderDevices();
      System.out.println("ok " + in + " " + out);
      System.out.flush();
      Runtime.getRuntime().halt(0);
    } catch (Throwable t) {
      String text = String.valueOf(t.getMessage());
      System.out.println("error " + (t.getMessage() == null ? t.toString() : text)
          + (text.contains("libpulse") ? " (install the libpulse0 package)" : ""));
      System.out.flush();
      Runtime.getRuntime().halt(3);
    }
  }
}
