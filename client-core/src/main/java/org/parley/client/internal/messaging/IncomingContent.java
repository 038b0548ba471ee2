package org.parley.client.internal.messaging;

import org.parley.client.internal.proto.Content;
import org.parley.protocol.Envelope;

/**
 * A decrypted {@link Content} with the envelope that carried it: the server vouches for the envelope's sender
 * account, device and number; the content is what that sender wrote.
 *
 * @param ownAccount our account id, to tell our other devices' sync messages from everyone else's
 */
public record IncomingContent(Envelope envelope, Content content, String ownAccount) {

  public String sourceAccount() {
    return envelope.getSourceAccount();
  }

  public int sourceDevice() {
    return envelope.getSourceDevice();
  }

  /** Whether another device of our own account sent it. */
  public boolean fromOwnAccount() {
    return envelope.getSourceAccount().equals(ownAccount);
  }
}
