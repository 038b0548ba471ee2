package org.parley.client.internal.connection;

import java.util.Map;

/**
 * Crash points for the crash-safety tests, switched on by the environment variable {@code PARLEY_FAULT}:
 * {@code pause-before-ack} makes the client print {@code PARLEY_FAULT pause-before-ack} to stderr after an incoming
 * message is stored and then stop before acknowledging it, so a test can kill the process with -9 at exactly that
 * point. Off unless the variable is set.
 */
public record FaultInjection(boolean pauseBeforeAck) {

  /** No crash points: what everything but the crash-safety tests runs with. */
  public static final FaultInjection NONE = new FaultInjection(false);

  public static FaultInjection fromEnvironment(Map<String, String> env) {
    return new FaultInjection("pause-before-ack".equals(env.get("PARLEY_FAULT")));
  }

  void beforeAck() {
    if (!pauseBeforeAck) {
      return;
    }
    System.err.println("PARLEY_FAULT pause-before-ack");
    System.err.flush();
    while (true) {
      try {
        Thread.sleep(60_000);
      } catch (InterruptedException e) {
        // keep waiting for the kill
      }
    }
  }
}
