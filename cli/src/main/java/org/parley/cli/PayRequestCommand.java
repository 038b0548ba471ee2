package org.parley.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.Message;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.NetworkException;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.payments.InrAmount;
import org.parley.client.api.payments.PaymentRequestEntry;
import org.parley.client.api.payments.Vpa;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "pay-request", mixinStandardHelpOptions = true,
    description = {"Ask NUMBER to pay you AMOUNT rupees by UPI, to your UPI ID (--vpa).",
        "Prints the request id and the upi://pay link that any UPI app opens. Parley never moves money: the payer "
            + "pays in their own UPI app and then marks the request paid (parley pay-status)."})
final class PayRequestCommand implements Callable<Integer> {

  @ParentCommand
  ParleyCli parent;

  @Parameters(index = "0", paramLabel = "NUMBER")
  String number;

  @Parameters(index = "1", paramLabel = "AMOUNT", description = "Rupees, at most 2 decimals: 250 or 250.50.")
  String amount;

  @Option(names = "--vpa", required = true, paramLabel = "UPI_ID", description = "Your UPI ID, e.g. alice@okbank.")
  String vpa;

  @Option(names = "--name", paramLabel = "NAME",
      description = "Your name as the payer's UPI app shows it (default: the part of the UPI ID before @).")
  String name;

  @Option(names = "--note", paramLabel = "NOTE", description = "What it is for (at most 50 characters).")
  String note;

  @Option(names = "--qr", paramLabel = "FILE.png", description = "Also write the link's QR code to this PNG.")
  Path qr;

  @Option(names = "--json", description = "The message as JSON; its payment.upiLink is the link.")
  boolean json;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "How long to wait for the server to accept the request (default ${DEFAULT-VALUE}).")
  int timeout;

  @Override
  public Integer call() throws Exception {
    InrAmount rupees = InrAmount.parse(amount);
    Vpa payee = Vpa.parse(vpa);
    try (ParleyClient client = parent.open()) {
      SendCommand.SettledStatuses statuses = new SendCommand.SettledStatuses();
      client.addListener(statuses);
      Message message = client.requestPayment(number, rupees, payee, name != null ? name : payee.name(),
          Optional.ofNullable(note));
      PaymentRequestEntry request = message.payment().orElseThrow();
      if (qr != null) {
        writeQr(request.request().upiLink());
      }
      client.connect();
      MessageStatus status = statuses.await(message.id(), Duration.ofSeconds(timeout));
      if (status == MessageStatus.PENDING) {
        throw new NetworkException("Not sent yet: the server did not accept the request within " + timeout
            + " s. It stays in the outbox and is sent by the next parley command that connects.");
      }
      if (status == MessageStatus.FAILED) {
        parent.err().println("parley: the server refused the payment request to " + number);
        return ExitCodes.ERROR;
      }
      if (json) {
        parent.out().println(Json.write(Json.message(client.history(number, 1).stream()
            .filter(m -> m.id() == message.id()).findFirst().orElse(message))));
      } else {
        parent.out().println(request.id());
        parent.out().println(request.request().upiLink());
      }
      client.awaitOutboxEmpty(Duration.ofSeconds(2));
    }
    return ExitCodes.OK;
  }

  private void writeQr(String link) throws InvalidInputException {
    try {
      QrCodes.writePng(link, qr);
    } catch (IOException e) {
      throw new InvalidInputException("Cannot write the QR code to " + qr + ": " + e.getMessage(), e);
    }
  }
}
