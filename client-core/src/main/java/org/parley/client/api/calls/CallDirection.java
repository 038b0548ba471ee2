package org.parley.client.api.calls;

/** Who placed the call. */
public enum CallDirection {
  INCOMING, OUTGOING
}
