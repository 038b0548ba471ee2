package org.parley.client.internal.calls;

import org.parley.client.api.calls.CallException;

/** Loads libwebrtc once and turns a missing native library or libpulse into a clear error. */
final class NativeLibrary {

  private static volatile String failure;
  private static volatile boolean loaded;

  private NativeLibrary() {}

  static void check() throws CallException {
    if (!loaded && failure == null) {
      synchronized (NativeLibrary.class) {
        if (!loaded && failure == null) {
          try {
            Class.forName("dev.onvoid.webrtc.PeerConnectionFactory", true, NativeLibrary.class.getClassLoader());
            loaded = true;
          } catch (Throwable t) {
            failure = t.toString() + (String.valueOf(t.getMessage()).contains("libpulse")
                ? " (install the libpulse0 package)" : "");
          }
        }
      }
    }
    if (failure != null) {
      throw new CallException("Calls need libwebrtc, which did not load: " + failure);
    }
  }
}
