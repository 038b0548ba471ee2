package org.parley.client.api.calls;

import java.time.Duration;

/**
 * A call as recorded in a conversation (see {@link org.parley.client.api.Message#call()}).
 *
 * @param callId the call's id
 * @param direction who called
 * @param endReason how it ended
 * @param duration time connected (zero when it never connected)
 */
public record CallEntry(String callId, CallDirection direction, CallEndReason endReason, Duration duration) {

  /** An incoming call we never talked in: cancelled by the caller, not answered, or we were unreachable or busy. */
  public boolean missed() {
    return direction == CallDirection.INCOMING && duration.isZero()
        && (endReason == CallEndReason.CANCELLED || endReason == CallEndReason.NO_ANSWER
            || endReason == CallEndReason.UNAVAILABLE || endReason == CallEndReason.BUSY);
  }
}
