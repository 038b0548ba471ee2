package org.parley.client.internal.calls;

import dev.onvoid.webrtc.RTCIceCandidate;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Our ICE candidates on their way to the peer: held until our offer or answer has gone out (the peer cannot use
 * them before), then sent as libwebrtc finds them, one message for all that arrived since the last. On the call
 * thread only.
 */
final class CandidateTrickle {

  private final CallSignals signals;
  private final Consumer<Runnable> callThread;
  private final List<RTCIceCandidate> pending = new ArrayList<>();
  private boolean sending;
  private boolean flushScheduled;

  CandidateTrickle(CallSignals signals, Consumer<Runnable> callThread) {
    this.signals = signals;
    this.callThread = callThread;
  }

  void add(RTCIceCandidate candidate) {
    pending.add(candidate);
    if (sending && !flushScheduled) {
      flushScheduled = true;
      callThread.accept(this::flush);
    }
  }

  /** Our description went out: send what was held, and the rest as it comes. */
  void start() {
    sending = true;
    flush();
  }

  /** The call ended: nothing more goes out. */
  void stop() {
    sending = false;
    pending.clear();
  }

  /** Candidates that arrive while a flush waits for its turn on the call thread go with it. */
  private void flush() {
    flushScheduled = false;
    if (pending.isEmpty() || !sending) {
      return;
    }
    signals.candidates(List.copyOf(pending));
    pending.clear();
  }
}
