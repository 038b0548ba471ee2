package org.parley.client.internal.calls;

import java.time.Duration;
import org.parley.client.api.calls.CallDirection;
import org.parley.client.api.calls.CallEndReason;

/** The texts of call entries in a conversation, as both sides see them. */
final class CallEntryTexts {

  private CallEntryTexts() {}

  /** The text of a call entry in the conversation. */
  static String describe(CallDirection direction, CallEndReason reason, Duration duration) {
    boolean out = direction == CallDirection.OUTGOING;
    if (!duration.isZero()) {
      long s = duration.toSeconds();
      return (out ? "Outgoing call" : "Incoming call") + String.format(" (%d:%02d)", s / 60, s % 60);
    }
    return switch (reason) {
      case DECLINED -> out ? "Call declined" : "Declined call";
      case BUSY -> out ? "Call not answered: busy" : "Missed call (busy)";
      case NO_ANSWER -> out ? "Call not answered" : "Missed call";
      case CANCELLED -> out ? "Cancelled call" : "Missed call";
      case UNAVAILABLE -> out ? "Call not answered: not reachable" : "Missed call";
      case ANSWERED_ELSEWHERE -> "Call answered on another device";
      case DECLINED_ELSEWHERE -> "Call declined on another device";
      case CONNECTION_FAILED -> "Call failed: could not connect";
      case ERROR -> "Call failed";
      default -> out ? "Outgoing call" : "Incoming call";
    };
  }
}
