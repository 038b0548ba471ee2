package org.parley.cli;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.NetworkException;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.payments.PaymentRequestEntry;
import org.parley.client.api.payments.PaymentRequestId;
import org.parley.client.api.payments.PaymentStatus;
import org.parley.client.api.payments.Utr;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

@Command(name = "pay-status", mixinStandardHelpOptions = true,
    description = {"Answer a payment request: as the payer, mark it paid (with the UTR your UPI app shows) or "
        + "declined; as the requester, cancel it.",
        "The other party and your other devices are told. A request that is already paid, declined or cancelled "
            + "does not change (except that paid replaces cancelled)."})
final class PayStatusCommand implements Callable<Integer> {

  @ParentCommand
  ParleyCli parent;

  @Parameters(index = "0", paramLabel = "REQUEST_ID")
  String requestId;

  @Parameters(index = "1", paramLabel = "STATE", description = "paid, declined or cancelled.")
  String state;

  @Option(names = "--utr", paramLabel = "UTR", description = "With paid: the 12-digit UPI transaction reference.")
  String utr;

  @Option(names = "--json", description = "The request as JSON.")
  boolean json;

  @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "30",
      description = "How long to wait for the server to accept the update (default ${DEFAULT-VALUE}).")
  int timeout;

  @Override
  public Integer call() throws Exception {
    PaymentRequestId id = PaymentRequestId.parse(requestId);
    PaymentStatus status = status();
    try (ParleyClient client = parent.open()) {
      PaymentRequestEntry entry = client.updatePayment(id, status);
      client.connect();
      if (!client.awaitOutboxEmpty(Duration.ofSeconds(timeout))) {
        throw new NetworkException("Not sent yet: the server did not accept the update within " + timeout
            + " s. It is stored here and sent by the next parley command that connects.");
      }
      parent.out().println(json ? Json.write(PlaceAndPaymentOutput.payment(entry))
          : entry.id() + " " + PlaceAndPaymentOutput.state(entry));
    }
    return ExitCodes.OK;
  }

  private PaymentStatus status() throws InvalidInputException {
    String s = state.toLowerCase(Locale.ROOT);
    if (!s.equals("paid") && utr != null) {
      throw new InvalidInputException("--utr goes with paid only");
    }
    return switch (s) {
      case "paid" -> {
        if (utr == null) {
          throw new InvalidInputException("paid needs --utr: the 12-digit transaction reference your UPI app shows");
        }
        yield PaymentStatus.paid(Utr.parse(utr));
      }
      case "declined" -> PaymentStatus.DECLINED;
      case "cancelled", "canceled" -> PaymentStatus.CANCELLED;
      default -> throw new InvalidInputException("STATE is paid, declined or cancelled, not \"" + state + "\"");
    };
  }
}
