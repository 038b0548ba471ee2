package org.parley.client.api.calls;

/**
 * The life of a call: {@code RINGING → CONNECTING → CONNECTED ⇄ RECONNECTING → ENDED}; any state may go to
 * {@code ENDED}.
 */
public enum CallState {
  /** Offer sent (outgoing) or received and not yet answered (incoming). */
  RINGING,
  /** Answered; ICE and DTLS are being set up. */
  CONNECTING,
  /** Audio flows. */
  CONNECTED,
  /** The connection was lost; an ICE restart is under way. */
  RECONNECTING,
  /** Over; see {@link Call#endReason()}. */
  ENDED
}
