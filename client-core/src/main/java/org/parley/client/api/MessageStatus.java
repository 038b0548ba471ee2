package org.parley.client.api;

/** Where a message is. Outgoing: PENDING → SENT → DELIVERED → READ, or FAILED. Incoming: DELIVERED → READ. */
public enum MessageStatus {
  PENDING, SENT, DELIVERED, READ, FAILED;

  /** Statuses only move forward (a late delivery receipt does not undo "read"). */
  public boolean isAfter(MessageStatus other) {
    return ordinal() > other.ordinal();
  }
}
