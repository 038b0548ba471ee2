package org.parley.client.internal.connection;

import java.util.Map;

/**
 * Crash points for the crash-safety tests, switched on by the environment variable {@code PARLEY_FAULT}:
 * {@code pause-before-ack} makes the client print {@code PARLEY_FAULT pause-before-ack} to stderr after an incoming
 * message is stored and then stop before acknowledging it, so a test can kill the process with -9 at exactly that
 * point. {@code PARLEY_FAULT_UPLOAD_RATE=N} slows attachment uploads to about N bytes a second, so a test can stop
 * a client (or kill it) half way through an upload of a few megabytes. Off unless the variables are set.
 *
 * @param uploadBytesPerSecond 0 for full speed
 */
public record FaultInjection(boolean pauseBeforeAck, long uploadBytesPerSecond) {

  /** No crash points: what everything but the crash-safety tests runs with. */
  public static final FaultInjection NONE = new FaultInjection(false, 0);

  public FaultInjection(boolean pauseBeforeAck) {
    this(pauseBeforeAck, 0);
  }

  public static FaultInjection fromEnvironment(Map<String, String> env) {
    long rate = 0;
    try {
      rate = Math.max(0, Long.parseLong(env.getOrDefault("PARLEY_FAULT_UPLOAD_RATE", "0")));
    } catch (NumberFormatException ignored) {
      // not a number: no throttling
    }
    return new FaultInjection("pause-before-ack".equals(env.get("PARLEY_FAULT")), rate);
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
