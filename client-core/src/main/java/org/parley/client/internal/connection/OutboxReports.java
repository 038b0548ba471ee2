package org.parley.client.internal.connection;

import org.parley.client.internal.events.IdentityChanges;
import org.parley.client.internal.messaging.MessageEvents;
import org.parley.client.internal.messaging.OutboxWorker;
import org.parley.client.internal.net.ApiFailure;

/** What the outbox worker reports: status changes and identity changes to the listeners, a 401 as a revocation. */
public final class OutboxReports implements OutboxWorker.Callbacks {

  private final MessageEvents messageEvents;
  private final IdentityChanges identityChanges;
  private final Revocation revocation;

  public OutboxReports(MessageEvents messageEvents, IdentityChanges identityChanges, Revocation revocation) {
    this.messageEvents = messageEvents;
    this.identityChanges = identityChanges;
    this.revocation = revocation;
  }

  @Override
  public void statusChanged(long messageId) {
    messageEvents.statusChanged(messageId);
  }

  @Override
  public void attempted() {
    identityChanges.report();
  }

  @Override
  public void authenticationFailed(ApiFailure failure) {
    revocation.authenticationFailed(failure.getMessage());
  }
}
