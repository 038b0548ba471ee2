package org.parley.client.api.groups;

/** One line of a group conversation: a message or a system line about a change. Ordered by timestamp, then id. */
public sealed interface GroupHistoryEntry permits GroupMessage, GroupEvent {

  /** Local id (messages and events each have their own sequence). */
  long id();

  GroupId groupId();

  /** When it happened, by the sender's or author's clock (ms). */
  long timestamp();
}
