package org.parley.turn.stack;

/** The transport between client and server (RFC 8656 section 3.1: UDP or TCP; TLS/DTLS are not offered). */
public enum Transport {
  UDP,
  TCP
}
