package org.parley.client.api.payments;

/** Which side of a payment request a person is on. */
public enum PaymentRole {
  /** Asked to be paid (the payee): may cancel the request. */
  REQUESTER,
  /** Was asked to pay: may mark the request paid (with the UTR) or declined. */
  PAYER
}
