package org.parley.client.internal.payments;

import org.parley.client.api.InvalidInputException;
import org.parley.client.api.payments.PaymentState;
import org.parley.client.api.payments.PaymentStatus;

/**
 * Who may move a payment request where. The requester may cancel it; the payer may mark it paid (with the UTR) or
 * declined; all only while it is requested. Applying the same final status again changes nothing (a status reaches
 * each device once per copy, and copies can repeat). One exception to "final is final": the payer's "paid" replaces
 * the requester's "cancelled", because the two can cross in flight and a payment that was made is a fact both sides
 * must see.
 */
public final class PaymentLifecycle {

  /** Which side of the request a status comes from. */
  public enum Role {
    REQUESTER, PAYER
  }

  private PaymentLifecycle() {}

  /** The status after {@code role} sets {@code next}, or the reason it may not. */
  public static PaymentStatus apply(PaymentStatus current, PaymentStatus next, Role role)
      throws InvalidInputException {
    switch (next.state()) {
      case REQUESTED -> throw new InvalidInputException("A payment request cannot be made open again");
      case CANCELLED -> {
        if (role != Role.REQUESTER) {
          throw new InvalidInputException("Only the person who asked for the payment can cancel the request");
        }
      }
      case PAID, DECLINED -> {
        if (role != Role.PAYER) {
          throw new InvalidInputException("Only the payer can mark a payment request "
              + (next.state() == PaymentState.PAID ? "paid" : "declined"));
        }
      }
    }
    if (!current.state().isFinal() || current.equals(next)) {
      return next;
    }
    if (current.state() == PaymentState.CANCELLED && next.state() == PaymentState.PAID) {
      return next;
    }
    throw new InvalidInputException("The payment request is already " + describe(current));
  }

  private static String describe(PaymentStatus status) {
    return switch (status.state()) {
      case PAID -> "paid (UTR " + status.utr().orElseThrow() + ")";
      case DECLINED -> "declined";
      case CANCELLED -> "cancelled";
      case REQUESTED -> "open";
    };
  }
}
