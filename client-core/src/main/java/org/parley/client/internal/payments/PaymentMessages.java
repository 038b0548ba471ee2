package org.parley.client.internal.payments;

import java.math.BigDecimal;
import java.util.Optional;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.payments.InrAmount;
import org.parley.client.api.payments.PaymentRequest;
import org.parley.client.api.payments.PaymentRequestId;
import org.parley.client.api.payments.PaymentState;
import org.parley.client.api.payments.PaymentStatus;
import org.parley.client.api.payments.Utr;
import org.parley.client.api.payments.Vpa;
import org.parley.client.internal.proto.PaymentRequestMessage;
import org.parley.client.internal.proto.PaymentStatusMessage;

/** Payment requests and status updates to and from their wire form; what arrives is checked like typed input. */
public final class PaymentMessages {

  /** A status update names its request. */
  public record StatusUpdate(PaymentRequestId requestId, PaymentStatus status) {}

  private PaymentMessages() {}

  /**
   * The text stored with a payment request message, for history, search and front ends that do not draw requests:
   * {@code Payment request: ₹250.00 to Alice (alice@okbank): Dinner}.
   */
  public static String describe(PaymentRequest request) {
    return "Payment request: " + request.amount().formatted() + " to " + request.payeeName() + " ("
        + request.payee() + ")" + request.note().map(n -> ": " + n).orElse("");
  }

  public static PaymentRequestMessage toProto(PaymentRequest request) {
    PaymentRequestMessage.Builder message = PaymentRequestMessage.newBuilder()
        .setRequestId(request.id().value())
        .setPayeeVpa(request.payee().value())
        .setPayeeName(request.payeeName())
        .setAmountPaise(request.amount().value().movePointRight(2).longValueExact());
    request.note().ifPresent(message::setNote);
    return message.build();
  }

  public static PaymentRequest fromProto(PaymentRequestMessage message) throws InvalidInputException {
    // uint64: a value above Long.MAX_VALUE arrives negative; either way InrAmount refuses it.
    BigDecimal rupees = message.getAmountPaise() < 0
        ? new BigDecimal(Long.toUnsignedString(message.getAmountPaise())).movePointLeft(2)
        : BigDecimal.valueOf(message.getAmountPaise(), 2);
    return PaymentRequest.of(PaymentRequestId.parse(message.getRequestId()), Vpa.parse(message.getPayeeVpa()),
        message.getPayeeName(), InrAmount.of(rupees),
        message.hasNote() ? Optional.of(message.getNote()) : Optional.empty());
  }

  public static PaymentStatusMessage toProto(PaymentRequestId requestId, PaymentStatus status) {
    PaymentStatusMessage.Builder message = PaymentStatusMessage.newBuilder().setRequestId(requestId.value());
    switch (status.state()) {
      case PAID -> message.setState(PaymentStatusMessage.State.PAID).setUtr(status.utr().orElseThrow().value());
      case DECLINED -> message.setState(PaymentStatusMessage.State.DECLINED);
      case CANCELLED -> message.setState(PaymentStatusMessage.State.CANCELLED);
      case REQUESTED -> throw new IllegalArgumentException("an open request is sent as the request itself");
    }
    return message.build();
  }

  public static StatusUpdate fromProto(PaymentStatusMessage message) throws InvalidInputException {
    PaymentRequestId id = PaymentRequestId.parse(message.getRequestId());
    PaymentStatus status = switch (message.getState()) {
      case PAID -> PaymentStatus.paid(Utr.parse(message.getUtr()));
      case DECLINED -> PaymentStatus.DECLINED;
      case CANCELLED -> PaymentStatus.CANCELLED;
      default -> throw new InvalidInputException("A payment status update without a known state ("
          + message.getStateValue() + ")");
    };
    if (status.state() != PaymentState.PAID && !message.getUtr().isEmpty()) {
      throw new InvalidInputException("Only a paid status carries a UTR");
    }
    return new StatusUpdate(id, status);
  }
}
