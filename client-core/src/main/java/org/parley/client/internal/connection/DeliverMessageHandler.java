package org.parley.client.internal.connection;

import com.google.protobuf.InvalidProtocolBufferException;
import org.parley.client.internal.events.IdentityChanges;
import org.parley.client.internal.linking.OwnDevices;
import org.parley.client.internal.messaging.Inbox;
import org.parley.protocol.Envelope;
import org.parley.protocol.Route;
import org.parley.protocol.WebSocketRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Route#DELIVER_MESSAGE}: an envelope for us. The inbox stores it; only then, after its commit, do the
 * listeners hear of it, and the answer acknowledges it (the server deletes it). Ephemeral envelopes get no answer.
 */
public final class DeliverMessageHandler implements PushHandler {

  private static final Logger log = LoggerFactory.getLogger(DeliverMessageHandler.class);

  private final Inbox inbox;
  private final OwnDevices ownDevices;
  private final IdentityChanges identityChanges;
  private final FaultInjection faults;

  public DeliverMessageHandler(Inbox inbox, OwnDevices ownDevices, IdentityChanges identityChanges,
      FaultInjection faults) {
    this.inbox = inbox;
    this.ownDevices = ownDevices;
    this.identityChanges = identityChanges;
    this.faults = faults;
  }

  @Override
  public int handle(WebSocketRequest request) {
    Envelope envelope;
    try {
      envelope = Envelope.parseFrom(request.getBody());
    } catch (InvalidProtocolBufferException e) {
      log.warn("dropping a delivery that is not an Envelope");
      return 200;
    }
    Inbox.Result result = inbox.process(envelope);
    ownDevices.noticeSender(envelope);
    // A key that changed while decrypting is reported before the message it came with, so a listener that hears of
    // the message already knows (and a front end can show the warning first).
    identityChanges.report();
    result.afterCommit().run();
    if (envelope.getEphemeral()) {
      return 0;
    }
    if (result.status() == 200) {
      faults.beforeAck();
    }
    return result.status();
  }
}
