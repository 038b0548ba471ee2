package org.parley.client.api.payments;

import java.util.Objects;
import java.util.Optional;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.UserText;

/**
 * A request to be paid by UPI, sent in a conversation. Parley only carries it: the payer pays in their own UPI app
 * (from the {@link #upiLink()} or its QR code), and Parley never sees a PIN or moves money.
 *
 * @param payeeName whom the money goes to, as the UPI app shows it (1 to 50 characters, one line)
 * @param note what it is for (at most 50 characters, one line; UPI apps cut longer remarks)
 */
public record PaymentRequest(PaymentRequestId id, Vpa payee, String payeeName, InrAmount amount,
    Optional<String> note) {

  public static final int MAX_NAME_LENGTH = 50;
  public static final int MAX_NOTE_LENGTH = 50;

  public PaymentRequest {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(payee, "payee");
    Objects.requireNonNull(amount, "amount");
    payeeName = Objects.requireNonNull(payeeName, "payeeName").strip();
    note = Objects.requireNonNull(note, "note").map(String::strip).filter(n -> !n.isEmpty());
    if (payeeName.isEmpty()) {
      throw new IllegalArgumentException("The payee's name is empty");
    }
    String problem = UserText.problem("The payee's name", payeeName, MAX_NAME_LENGTH, false);
    if (problem == null && note.isPresent()) {
      problem = UserText.problem("The note", note.get(), MAX_NOTE_LENGTH, false);
    }
    if (problem != null) {
      throw new IllegalArgumentException(problem);
    }
  }

  public static PaymentRequest of(PaymentRequestId id, Vpa payee, String payeeName, InrAmount amount,
      Optional<String> note) throws InvalidInputException {
    try {
      return new PaymentRequest(id, payee, payeeName, amount, note);
    } catch (IllegalArgumentException e) {
      throw new InvalidInputException(e.getMessage(), e);
    }
  }

  /** The standard UPI deep link any UPI app opens: {@code upi://pay?pa=...&pn=...&am=...&cu=INR&tn=...&tr=...}. */
  public String upiLink() {
    return UpiLink.of(this);
  }
}
