package org.parley.turn.message;

/** A datagram or stream frame is not a well-formed STUN message (RFC 8489 section 5) or ChannelData message. */
public final class StunParseException extends Exception {
  private static final long serialVersionUID = 1L;

  public StunParseException(String message) {
    super(message);
  }
}
