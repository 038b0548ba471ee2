package org.parley.client.api.calls;

/**
 * Call events. Called on the call manager's own thread; implementations must return quickly and must not throw.
 */
public interface CallListener {

  /** A call is ringing here; answer, decline or let it ring out. {@link #stateChanged} follows for later changes. */
  default void incomingCall(Call call) {}

  /**
   * A call moved to a new state (including {@link CallState#ENDED}, with its reason), or its mute or
   * {@link Call#media() video} changed.
   */
  default void stateChanged(Call call) {}

  /** About once a second while a call is connected or reconnecting. */
  default void statsUpdated(Call call, CallStats stats) {}
}
