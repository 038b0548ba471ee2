package org.parley.client.internal.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.payments.InrAmount;
import org.parley.client.api.payments.PaymentRequest;
import org.parley.client.api.payments.PaymentRequestId;
import org.parley.client.api.payments.PaymentStatus;
import org.parley.client.api.payments.Utr;
import org.parley.client.api.payments.Vpa;
import org.parley.client.internal.proto.PaymentRequestMessage;
import org.parley.client.internal.proto.PaymentStatusMessage;

class PaymentMessagesTest {

  static final PaymentRequestId ID = new PaymentRequestId("ABCDEFGH23456789JKLM");

  @Test
  void requestsAndStatusesSurviveTheWire() throws Exception {
    PaymentRequest request = new PaymentRequest(ID, new Vpa("alice@okbank"), "Alice", new InrAmount(
        new BigDecimal("100000.00")), Optional.of("Rent"));
    PaymentRequestMessage wire = PaymentMessages.toProto(request);
    assertThat(wire.getAmountPaise()).isEqualTo(10_000_000L);
    assertThat(PaymentMessages.fromProto(PaymentRequestMessage.parseFrom(wire.toByteArray()))).isEqualTo(request);
    PaymentRequest noNote = new PaymentRequest(ID, new Vpa("bob@ybl"), "Bob", new InrAmount(new BigDecimal("0.01")),
        Optional.empty());
    assertThat(PaymentMessages.toProto(noNote).hasNote()).isFalse();
    assertThat(PaymentMessages.fromProto(PaymentMessages.toProto(noNote))).isEqualTo(noNote);

    for (PaymentStatus status : new PaymentStatus[] {PaymentStatus.paid(new Utr("123456789012")),
        PaymentStatus.DECLINED, PaymentStatus.CANCELLED}) {
      PaymentStatusMessage message = PaymentMessages.toProto(ID, status);
      assertThat(PaymentMessages.fromProto(PaymentStatusMessage.parseFrom(message.toByteArray())))
          .isEqualTo(new PaymentMessages.StatusUpdate(ID, status));
    }
    assertThatThrownBy(() -> PaymentMessages.toProto(ID, PaymentStatus.REQUESTED))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aReceivedRequestOrStatusIsCheckedLikeTypedInput() {
    PaymentRequestMessage good = PaymentMessages.toProto(new PaymentRequest(ID, new Vpa("alice@okbank"), "Alice",
        new InrAmount(BigDecimal.TEN), Optional.empty()));
    requestRefused(good.toBuilder().setAmountPaise(0).build(), "more than ₹0");
    requestRefused(good.toBuilder().setAmountPaise(10_000_001).build(), "UPI allows at most ₹1,00,000.00");
    requestRefused(good.toBuilder().setAmountPaise(-1).build(), "184467440737095516.15 is more"); // 2^64-1 paise
    requestRefused(good.toBuilder().setPayeeVpa("alice").build(), "has no @");
    requestRefused(good.toBuilder().setPayeeName("").build(), "The payee's name is empty");
    requestRefused(good.toBuilder().setRequestId("x").build(), "not a payment request id");
    requestRefused(good.toBuilder().setNote("\u202Egnp.exe").build(), "bidirectional control character");

    PaymentStatusMessage paid = PaymentMessages.toProto(ID, PaymentStatus.paid(new Utr("123456789012")));
    statusRefused(paid.toBuilder().setUtr("").build(), "is 12 digits, not \"\"");
    statusRefused(paid.toBuilder().setState(PaymentStatusMessage.State.STATE_UNSPECIFIED).build(),
        "without a known state (0)");
    statusRefused(paid.toBuilder().setStateValue(9).build(), "without a known state (9)");
    statusRefused(paid.toBuilder().setState(PaymentStatusMessage.State.DECLINED).build(),
        "Only a paid status carries a UTR");
  }

  private static void requestRefused(PaymentRequestMessage message, String reason) {
    assertThatThrownBy(() -> PaymentMessages.fromProto(message)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(reason);
  }

  private static void statusRefused(PaymentStatusMessage message, String reason) {
    assertThatThrownBy(() -> PaymentMessages.fromProto(message)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining(reason);
  }
}
