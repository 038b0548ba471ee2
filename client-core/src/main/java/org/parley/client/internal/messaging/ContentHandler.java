package org.parley.client.internal.messaging;

/**
 * Handles one kind of {@code Content} (one field of its {@code body} oneof), registered with the
 * {@link ContentDispatcher} by the composition root. Runs inside the inbox's transaction, together with the
 * decryption that advanced the session and the record of the envelope's GUID: what it stores commits with them.
 */
@FunctionalInterface
public interface ContentHandler {

  /**
   * Stores what {@code content} means. Throwing rolls the whole delivery back and the envelope is dropped (or, for a
   * local failure such as a database error, delivered again later), exactly as if it could not be decrypted; work
   * that must wait for the commit goes to {@code afterCommit}.
   */
  void handle(IncomingContent content, AfterCommit afterCommit) throws Exception;
}
