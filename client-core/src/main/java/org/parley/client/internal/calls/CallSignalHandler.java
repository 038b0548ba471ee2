package org.parley.client.internal.calls;

import org.parley.client.internal.messaging.AfterCommit;
import org.parley.client.internal.messaging.ContentHandler;
import org.parley.client.internal.messaging.IncomingContent;

/** {@code Content.call}: call signaling from a contact's device, handed to the call manager after the commit. */
public final class CallSignalHandler implements ContentHandler {

  private final DefaultCallManager calls;

  public CallSignalHandler(DefaultCallManager calls) {
    this.calls = calls;
  }

  @Override
  public void handle(IncomingContent content, AfterCommit afterCommit) {
    // The envelope's own flag: a stored "missed" notice is not ephemeral, a ringing offer is.
    boolean ephemeral = content.envelope().getEphemeral();
    afterCommit.then(() -> calls.signal(content.sourceAccount(), content.sourceDevice(), ephemeral,
        content.content().getCall()));
  }
}
