package org.parley.client.api.payments;

/** Where a payment request stands. Only {@link #REQUESTED} can change; the others are final. */
public enum PaymentState {
  /** Sent, not answered yet. */
  REQUESTED,
  /** The payer says they paid, with the UPI transaction reference. */
  PAID,
  /** The payer will not pay. */
  DECLINED,
  /** The requester withdrew it. */
  CANCELLED;

  public boolean isFinal() {
    return this != REQUESTED;
  }
}
