package org.parley.client.api;

import java.util.Objects;
import org.parley.client.api.groups.GroupMessage;

/** One message found by {@link ParleyClient#searchAll}: in a 1:1 conversation or in a group. */
public sealed interface SearchResult permits SearchResult.Direct, SearchResult.InGroup {

  /** The sender's timestamp (ms): results come newest first by it. */
  long timestamp();

  /** A message of a 1:1 conversation. */
  record Direct(Message message) implements SearchResult {
    public Direct {
      Objects.requireNonNull(message, "message");
    }

    @Override
    public long timestamp() {
      return message.timestamp();
    }
  }

  /**
   * A group message: {@code message} names the group ({@code groupId}) and its sender ({@code senderNumber});
   * {@code groupName} is the group's name now.
   */
  record InGroup(GroupMessage message, String groupName) implements SearchResult {
    public InGroup {
      Objects.requireNonNull(message, "message");
      Objects.requireNonNull(groupName, "groupName");
    }

    @Override
    public long timestamp() {
      return message.timestamp();
    }
  }
}
