package org.parley.client.internal.payments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.parley.client.internal.payments.PaymentLifecycle.Role.PAYER;
import static org.parley.client.internal.payments.PaymentLifecycle.Role.REQUESTER;

import java.util.Optional;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.payments.PaymentState;
import org.parley.client.api.payments.PaymentStatus;
import org.parley.client.api.payments.Utr;

class PaymentLifecycleTest {

  static final PaymentStatus PAID = PaymentStatus.paid(new Utr("123456789012"));
  static final PaymentStatus PAID_OTHER_UTR = PaymentStatus.paid(new Utr("999999999999"));

  @Test
  void anOpenRequestIsPaidOrDeclinedByThePayerAndCancelledByTheRequester() throws Exception {
    assertThat(PaymentLifecycle.apply(PaymentStatus.REQUESTED, PAID, PAYER)).isEqualTo(PAID);
    assertThat(PaymentLifecycle.apply(PaymentStatus.REQUESTED, PaymentStatus.DECLINED, PAYER))
        .isEqualTo(PaymentStatus.DECLINED);
    assertThat(PaymentLifecycle.apply(PaymentStatus.REQUESTED, PaymentStatus.CANCELLED, REQUESTER))
        .isEqualTo(PaymentStatus.CANCELLED);
  }

  @Test
  void eachSideMayOnlyDoItsOwnPart() {
    refused(PaymentStatus.REQUESTED, PAID, REQUESTER, "Only the payer can mark a payment request paid");
    refused(PaymentStatus.REQUESTED, PaymentStatus.DECLINED, REQUESTER,
        "Only the payer can mark a payment request declined");
    refused(PaymentStatus.REQUESTED, PaymentStatus.CANCELLED, PAYER,
        "Only the person who asked for the payment can cancel the request");
    refused(PaymentStatus.REQUESTED, PaymentStatus.REQUESTED, REQUESTER, "cannot be made open again");
  }

  @Test
  void nothingFollowsAFinalStateButTheSameStatusAgainOrAPaymentThatCrossedACancel() throws Exception {
    refused(PAID, PaymentStatus.DECLINED, PAYER, "The payment request is already paid (UTR 123456789012)");
    refused(PAID, PAID_OTHER_UTR, PAYER, "already paid (UTR 123456789012)");
    refused(PAID, PaymentStatus.CANCELLED, REQUESTER, "already paid");
    refused(PaymentStatus.DECLINED, PAID, PAYER, "already declined");
    refused(PaymentStatus.DECLINED, PaymentStatus.CANCELLED, REQUESTER, "already declined");
    refused(PaymentStatus.CANCELLED, PaymentStatus.DECLINED, PAYER, "already cancelled");
    refused(PaymentStatus.CANCELLED, PaymentStatus.REQUESTED, REQUESTER, "cannot be made open again");

    assertThat(PaymentLifecycle.apply(PAID, PAID, PAYER)).isEqualTo(PAID); // a repeated copy changes nothing
    assertThat(PaymentLifecycle.apply(PaymentStatus.DECLINED, PaymentStatus.DECLINED, PAYER))
        .isEqualTo(PaymentStatus.DECLINED);
    assertThat(PaymentLifecycle.apply(PaymentStatus.CANCELLED, PaymentStatus.CANCELLED, REQUESTER))
        .isEqualTo(PaymentStatus.CANCELLED);
    // The payer paid before the cancel reached them: the payment is what happened.
    assertThat(PaymentLifecycle.apply(PaymentStatus.CANCELLED, PAID, PAYER)).isEqualTo(PAID);
  }

  @Test
  void statusesAndUtrsAreChecked() {
    assertThatThrownBy(() -> Utr.parse("12345678901")).isInstanceOf(InvalidInputException.class)
        .hasMessage("A UPI transaction reference (UTR) is 12 digits, not \"12345678901\"");
    assertThatThrownBy(() -> Utr.parse("12345678901a")).hasMessageContaining("is 12 digits");
    assertThatThrownBy(() -> Utr.parse("١٢٣٤٥٦٧٨٩٠١٢")).hasMessageContaining("is 12 digits"); // Arabic-Indic digits
    assertThat(Assertions.catchThrowable(() -> Utr.parse("1234 5678 9012"))).isNull();
    assertThatThrownBy(() -> new PaymentStatus(PaymentState.PAID,
        Optional.empty())).hasMessage("a paid request needs its UTR");
    assertThatThrownBy(() -> new PaymentStatus(PaymentState.DECLINED,
        Optional.of(new Utr("123456789012")))).hasMessage("only a paid request has a UTR");
  }

  private static void refused(PaymentStatus current, PaymentStatus next, PaymentLifecycle.Role role,
      String message) {
    assertThatThrownBy(() -> PaymentLifecycle.apply(current, next, role))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining(message);
  }
}
