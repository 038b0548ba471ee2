package org.parley.client.api.payments;

import java.util.Objects;
import java.util.Optional;

/**
 * A payment request's state, with the transaction reference when it is {@link PaymentState#PAID} (and only then).
 */
public record PaymentStatus(PaymentState state, Optional<Utr> utr) {

  public static final PaymentStatus REQUESTED = new PaymentStatus(PaymentState.REQUESTED, Optional.empty());
  public static final PaymentStatus DECLINED = new PaymentStatus(PaymentState.DECLINED, Optional.empty());
  public static final PaymentStatus CANCELLED = new PaymentStatus(PaymentState.CANCELLED, Optional.empty());

  public PaymentStatus {
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(utr, "utr");
    if ((state == PaymentState.PAID) != utr.isPresent()) {
      throw new IllegalArgumentException(state == PaymentState.PAID ? "a paid request needs its UTR"
          : "only a paid request has a UTR");
    }
  }

  public static PaymentStatus paid(Utr utr) {
    return new PaymentStatus(PaymentState.PAID, Optional.of(utr));
  }

  @Override
  public String toString() {
    return utr.map(u -> state + " (UTR " + u + ")").orElse(state.toString());
  }
}
