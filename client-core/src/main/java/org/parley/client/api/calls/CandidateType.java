package org.parley.client.api.calls;

/** ICE candidate types (RFC 8445): where an address came from. */
public enum CandidateType {
  /** A local interface address. */
  HOST,
  /** Our address as a STUN server saw it (outside our NAT). */
  SRFLX,
  /** Learned from a peer's connectivity check. */
  PRFLX,
  /** An address on a TURN server that relays for us. */
  RELAY,
  /** Not known (yet). */
  UNKNOWN
}
