package org.parley.desktop.vm;

import java.util.Optional;
import java.util.function.Consumer;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.Message;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.UserText;
import org.parley.client.api.payments.InrAmount;
import org.parley.client.api.payments.PaymentRequest;
import org.parley.client.api.payments.Vpa;

/**
 * The "Request payment" sheet: amount in rupees, our UPI ID and name (where the money goes, as the payer's UPI app
 * will show it), an optional note, Send. Each field is checked by client-core's own rules and its problem shown
 * next to it; nothing is sent while one has a problem. Parley never moves money: the payer pays in their UPI app.
 */
public final class PaymentRequestViewModel {

  public final Value<Boolean> open = new Value<>(false);
  public final Value<String> amount = new Value<>("");
  public final Value<String> vpa = new Value<>("");
  public final Value<String> payeeName = new Value<>("");
  public final Value<String> note = new Value<>("");
  public final Value<String> amountError = new Value<>("");
  public final Value<String> vpaError = new Value<>("");
  public final Value<String> nameError = new Value<>("");
  public final Value<String> noteError = new Value<>("");
  /** Sending failed (the field problems are shown next to the fields). */
  public final Value<String> error = new Value<>("");
  public final Value<Boolean> sending = new Value<>(false);

  private final String number;
  private final ParleyClient client;
  private final Tasks tasks;
  private final Consumer<Message> sent;
  private Consumer<Payee> remember = p -> { };

  /** Our UPI ID and name as a request carried them; kept so the next request needs only an amount. */
  public record Payee(String upiId, String name) {}

  public PaymentRequestViewModel(String number, ParleyClient client, Tasks tasks, Consumer<Message> sent) {
    this.number = number;
    this.client = client;
    this.tasks = tasks;
    this.sent = sent;
  }

  /** Fills in the payee last used and hands each sent request's payee to {@code remember} (on the ui thread). */
  public void rememberPayee(Optional<Payee> last, Consumer<Payee> remember) {
    last.ifPresent(p -> {
      vpa.set(p.upiId());
      payeeName.set(p.name());
    });
    this.remember = remember;
  }

  public void show() {
    open.set(true);
  }

  /** Closes the sheet; our UPI ID and name stay filled in for the next request. */
  public void cancel() {
    open.set(false);
    amount.set("");
    note.set("");
    clearErrors();
  }

  public void send() {
    if (sending.get()) {
      return;
    }
    clearErrors();
    InrAmount rupees = null;
    Vpa payee = null;
    try {
      rupees = InrAmount.parse(amount.get().replace("₹", "").strip());
    } catch (InvalidInputException e) {
      amountError.set(amount.get().isBlank() ? "How much? e.g. 250 or 1500.50" : e.getMessage());
    }
    try {
      payee = Vpa.parse(vpa.get());
    } catch (InvalidInputException e) {
      vpaError.set(vpa.get().isBlank() ? "Your UPI ID, where the money goes (e.g. alice@okbank)" : e.getMessage());
    }
    String name = payeeName.get().strip();
    Optional<String> memo = Optional.of(note.get().strip()).filter(n -> !n.isEmpty());
    String nameProblem = UserText.problem("Your name", name, PaymentRequest.MAX_NAME_LENGTH, false);
    nameError.set(name.isEmpty() ? "Your name as the payer's UPI app should show it"
        : nameProblem == null ? "" : nameProblem);
    String noteProblem = memo.map(n -> UserText.problem("The note", n, PaymentRequest.MAX_NOTE_LENGTH, false))
        .orElse(null);
    noteError.set(noteProblem == null ? "" : noteProblem);
    if (rupees == null || payee == null || !nameError.get().isEmpty() || !noteError.get().isEmpty()) {
      return;
    }
    InrAmount finalAmount = rupees;
    Vpa finalPayee = payee;
    sending.set(true);
    tasks.run(() -> client.requestPayment(number, finalAmount, finalPayee, name, memo), m -> {
      sending.set(false);
      sent.accept(m);
      remember.accept(new Payee(finalPayee.toString(), name));
      cancel();
    }, message -> {
      sending.set(false);
      error.set("Not sent: " + message);
    });
  }

  private void clearErrors() {
    amountError.set("");
    vpaError.set("");
    nameError.set("");
    noteError.set("");
    error.set("");
  }
}
