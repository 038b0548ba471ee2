package org.parley.client.api.payments;

import java.util.Objects;

/**
 * A payment request in a conversation, where it stands now, and which side of it we are on.
 *
 * @param contactNumber the other party
 * @param messageId the local id of the message that carried the request
 * @param ourRole {@link PaymentRole#REQUESTER} when we asked to be paid, {@link PaymentRole#PAYER} when we were asked
 * @param statusAt when the status last changed here (ms)
 */
public record PaymentRequestEntry(PaymentRequest request, PaymentStatus status, PaymentRole ourRole,
    String contactNumber, long messageId, long statusAt) {

  public PaymentRequestEntry {
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(status, "status");
    Objects.requireNonNull(ourRole, "ourRole");
    Objects.requireNonNull(contactNumber, "contactNumber");
  }

  public PaymentRequestId id() {
    return request.id();
  }

  /** Whether we may set {@code state} now: the payer marks an open request paid or declined, the requester cancels. */
  public boolean weMaySet(PaymentState state) {
    return switch (state) {
      case PAID -> ourRole == PaymentRole.PAYER
          && (status.state() == PaymentState.REQUESTED || status.state() == PaymentState.CANCELLED);
      case DECLINED -> ourRole == PaymentRole.PAYER && status.state() == PaymentState.REQUESTED;
      case CANCELLED -> ourRole == PaymentRole.REQUESTER && status.state() == PaymentState.REQUESTED;
      case REQUESTED -> false;
    };
  }
}
