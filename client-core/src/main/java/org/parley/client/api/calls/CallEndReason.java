package org.parley.client.api.calls;

/** Why a call ended. */
public enum CallEndReason {
  /** We hung up a connected (or connecting) call. */
  LOCAL_HANGUP,
  /** The other side hung up a connected (or connecting) call. */
  REMOTE_HANGUP,
  /** The caller gave up while it was ringing (for the callee: a missed call). */
  CANCELLED,
  /** The callee declined. */
  DECLINED,
  /** The callee was in another call. */
  BUSY,
  /** Nobody answered in time (for the callee: a missed call). */
  NO_ANSWER,
  /** None of the callee's devices was online: it never rang (a missed call on both sides). */
  UNAVAILABLE,
  /** Another of our devices answered. */
  ANSWERED_ELSEWHERE,
  /** Another of our devices declined. */
  DECLINED_ELSEWHERE,
  /** ICE or DTLS could not connect, or the connection was lost and did not come back. */
  CONNECTION_FAILED,
  /** Something failed locally (audio, the peer connection); see the log. */
  ERROR
}
