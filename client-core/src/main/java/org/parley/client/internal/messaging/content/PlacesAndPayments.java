package org.parley.client.internal.messaging.content;

import java.util.Optional;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.location.Location;
import org.parley.client.api.payments.PaymentRequest;
import org.parley.client.api.payments.PaymentRole;
import org.parley.client.internal.location.LocationMessages;
import org.parley.client.internal.messaging.AfterCommit;
import org.parley.client.internal.payments.PaymentMessages;
import org.parley.client.internal.payments.PaymentRequests;
import org.parley.client.internal.proto.DataMessage;
import org.parley.client.internal.store.MessageLocationTable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a received data message (from a contact, or a sync copy of our own) carries besides text — a place or a
 * payment request, checked like what the user types — and the payment status updates, which change a stored request
 * instead of adding a message. The data message handlers ask here first.
 */
public final class PlacesAndPayments {

  private static final Logger log = LoggerFactory.getLogger(PlacesAndPayments.class);

  /** A message ready to store: its text, and the place or request it carries. */
  record Readable(String body, Optional<Location> location, Optional<PaymentRequest> payment) {}

  private final MessageLocationTable locations;
  private final PaymentRequests payments;

  public PlacesAndPayments(MessageLocationTable locations, PaymentRequests payments) {
    this.locations = locations;
    this.payments = payments;
  }

  /** Whether {@code data} is a payment status update, to hand to {@link #statusUpdate} rather than store. */
  static boolean isStatusUpdate(DataMessage data) {
    return data.hasPaymentStatus();
  }

  void statusUpdate(DataMessage data, String contactAccount, boolean fromOwnDevice, AfterCommit afterCommit) {
    payments.received(data.getPaymentStatus(), contactAccount, fromOwnDevice, afterCommit);
  }

  /**
   * The message to store, or the reason it cannot be: a place or request that breaks the rules for typed input.
   */
  Readable read(DataMessage data) throws InvalidInputException {
    if (data.hasLocation()) {
      Location location = LocationMessages.fromProto(data.getLocation());
      return new Readable(LocationMessages.describe(location), Optional.of(location), Optional.empty());
    }
    if (data.hasPaymentRequest()) {
      PaymentRequest request = PaymentMessages.fromProto(data.getPaymentRequest());
      return new Readable(PaymentMessages.describe(request), Optional.empty(), Optional.of(request));
    }
    return new Readable(data.getText(), Optional.empty(), Optional.empty());
  }

  /**
   * Stores the place or request of a message just stored as {@code messageId}. A request whose id is taken already
   * (only someone reusing another request's id does that) stays a text message without the request.
   */
  void stored(long messageId, Readable message, PaymentRole ourRole, String contactAccount) {
    message.location().ifPresent(location -> locations.put(messageId, location));
    message.payment().ifPresent(request -> {
      if (!payments.store(messageId, request, ourRole, contactAccount)) {
        log.warn("payment request {} from {} reuses a known id; kept as text only", request.id(), contactAccount);
      }
    });
  }
}
