package org.parley.client.internal.calls;

import java.util.concurrent.atomic.AtomicBoolean;
import org.parley.client.api.calls.CallException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Loads libwebrtc once and turns a missing native library or libpulse into a clear error. */
final class NativeLibrary {

  private static final Logger log = LoggerFactory.getLogger(NativeLibrary.class);
  private static final AtomicBoolean preloading = new AtomicBoolean();
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

  /**
   * Starts loading libwebrtc (23 MB) and libsignal (125 MB, for the first encrypted offer) in the background, once:
   * each takes 0.2–1 s to load from its jar, better spent before the first call than while the caller waits. Only
   * front ends that use calls pay for it.
   */
  static void preload() {
    if (!preloading.compareAndSet(false, true)) {
      return;
    }
    Thread preload = new Thread(() -> {
      try {
        check();
        Class.forName("org.signal.libsignal.internal.Native", true, NativeLibrary.class.getClassLoader());
      } catch (CallException e) {
        log.warn("{}", e.getMessage());
      } catch (ClassNotFoundException | LinkageError e) {
        log.debug("preloading libsignal: {}", e.toString());
      }
    }, "parley-calls-preload");
    preload.setDaemon(true);
    preload.start();
  }
}
