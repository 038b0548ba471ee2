package org.parley.client.api.calls;

import java.time.Duration;
import java.util.Optional;

/**
 * A call as it is now (a snapshot; listeners get a new one on every change).
 *
 * @param callId random id shared by both sides
 * @param peerNumber the other party
 * @param direction who called
 * @param state ringing, connecting, connected, reconnecting or ended
 * @param startedAt when the call was placed (caller's clock, ms)
 * @param connectedAt when audio first flowed (ms), if it did
 * @param endedAt when it ended (ms), once ended
 * @param endReason why it ended, once ended
 * @param muted whether we stopped sending audio
 * @param media video on either side, as negotiated; for a call ringing here, whether the caller offers video
 */
public record Call(String callId, String peerNumber, CallDirection direction, CallState state, long startedAt,
    Optional<Long> connectedAt, Optional<Long> endedAt, Optional<CallEndReason> endReason, boolean muted,
    MediaState media) {

  /** A video call: either side sends video (or, ringing here, the caller offers it). */
  public boolean isVideo() {
    return media.video();
  }

  /** Time spent connected (zero if it never connected); for a call still up, until {@code nowMillis}. */
  public Duration duration(long nowMillis) {
    if (connectedAt.isEmpty()) {
      return Duration.ZERO;
    }
    long end = endedAt.orElse(nowMillis);
    return Duration.ofMillis(Math.max(0, end - connectedAt.get()));
  }

  /** Time spent connected, for an ended call. */
  public Duration duration() {
    return duration(endedAt.orElse(connectedAt.orElse(0L)));
  }
}
