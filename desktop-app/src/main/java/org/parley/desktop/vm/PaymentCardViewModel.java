package org.parley.desktop.vm;

import java.util.Optional;
import java.util.function.Consumer;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.payments.PaymentRequest;
import org.parley.client.api.payments.PaymentRequestEntry;
import org.parley.client.api.payments.PaymentRole;
import org.parley.client.api.payments.PaymentState;
import org.parley.client.api.payments.PaymentStatus;
import org.parley.client.api.payments.QrCode;
import org.parley.client.api.payments.Utr;

/**
 * A UPI payment request's card: amount, note, payee, where it stands, the QR code of its {@code upi://pay} link and
 * "Copy link"; the payer gets "Paid" (asking for the UTR) and "Decline", the requester "Cancel", each only while the
 * request allows it. Parley never moves money: the payer pays in their own UPI app and then says so here.
 */
public final class PaymentCardViewModel {

  public final String amount;
  public final Optional<String> note;
  public final String payee;
  public final String link;
  public final QrCode qrCode;
  public final Value<String> state = new Value<>("");
  public final Value<Boolean> canMarkPaid = new Value<>(false);
  public final Value<Boolean> canDecline = new Value<>(false);
  public final Value<Boolean> canCancel = new Value<>(false);
  public final Value<Boolean> busy = new Value<>(false);
  public final Value<String> error = new Value<>("");
  private final ParleyClient client;
  private final Tasks tasks;
  private final Consumer<String> clipboard;
  private PaymentRequestEntry entry;

  /** @param clipboard puts text on the system clipboard (a recorder in tests) */
  public PaymentCardViewModel(PaymentRequestEntry entry, ParleyClient client, Tasks tasks,
      Consumer<String> clipboard) {
    PaymentRequest request = entry.request();
    this.amount = request.amount().formatted();
    this.note = request.note();
    this.payee = request.payeeName() + " · " + request.payee();
    this.link = request.upiLink();
    this.qrCode = client.paymentQrCode(request);
    this.client = client;
    this.tasks = tasks;
    this.clipboard = clipboard;
    show(entry);
  }

  public PaymentRequestEntry entry() {
    return entry;
  }

  /** The request changed (here, on the other side or on another device): on the UI thread. */
  public void update(PaymentRequestEntry changed) {
    if (changed.id().equals(entry.id())) {
      show(changed);
    }
  }

  public void copyLink() {
    clipboard.accept(link);
  }

  /** The payer paid in their UPI app: {@code utr} is the 12-digit reference it shows. */
  public void markPaid(String utr) {
    Utr reference;
    try {
      reference = Utr.parse(utr);
    } catch (InvalidInputException e) {
      error.set(e.getMessage());
      return;
    }
    set(PaymentStatus.paid(reference));
  }

  public void decline() {
    set(PaymentStatus.DECLINED);
  }

  public void cancel() {
    set(PaymentStatus.CANCELLED);
  }

  private void set(PaymentStatus status) {
    error.set("");
    busy.set(true);
    tasks.run(() -> client.updatePayment(entry.id(), status), changed -> {
      busy.set(false);
      show(changed);
    }, message -> {
      busy.set(false);
      error.set(message);
    });
  }

  private void show(PaymentRequestEntry shown) {
    entry = shown;
    state.set(describe(shown));
    canMarkPaid.set(shown.weMaySet(PaymentState.PAID));
    canDecline.set(shown.weMaySet(PaymentState.DECLINED));
    canCancel.set(shown.weMaySet(PaymentState.CANCELLED));
  }

  static String describe(PaymentRequestEntry e) {
    boolean mine = e.ourRole() == PaymentRole.REQUESTER;
    return switch (e.status().state()) {
      case REQUESTED -> mine ? "Waiting for payment" : "Pay in your UPI app, then mark it paid";
      case PAID -> "Paid · UTR " + e.status().utr().orElseThrow();
      case DECLINED -> "Declined";
      case CANCELLED -> "Cancelled";
    };
  }
}
