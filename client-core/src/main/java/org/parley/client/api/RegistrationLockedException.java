package org.parley.client.api;

import java.time.Duration;

/**
 * The number's account has a registration lock: registering it needs the PIN its owner set (or, when the PIN was
 * given, it was wrong). The lock lapses if the account stays inactive for {@link #timeRemaining()}.
 */
public class RegistrationLockedException extends ParleyException {
  private static final long serialVersionUID = 1L;

  private final Duration timeRemaining;
  private final boolean pinGiven;

  public RegistrationLockedException(String message, Duration timeRemaining, boolean pinGiven, Throwable cause) {
    super(message, cause);
    this.timeRemaining = timeRemaining;
    this.pinGiven = pinGiven;
  }

  /** How long until the lock lapses, if the account stays inactive. */
  public Duration timeRemaining() {
    return timeRemaining;
  }

  /** True when a PIN was given and it was wrong; false when none was given. */
  public boolean pinGiven() {
    return pinGiven;
  }
}
