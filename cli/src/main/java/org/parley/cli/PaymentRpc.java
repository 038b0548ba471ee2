package org.parley.cli;

import static org.parley.cli.RpcParams.invalid;
import static org.parley.cli.RpcParams.optionalText;
import static org.parley.cli.RpcParams.text;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;
import java.util.Set;
import org.parley.cli.JsonRpc.RpcError;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import org.parley.client.api.payments.InrAmount;
import org.parley.client.api.payments.PaymentRequestId;
import org.parley.client.api.payments.PaymentStatus;
import org.parley.client.api.payments.Utr;
import org.parley.client.api.payments.Vpa;

/**
 * The daemon's UPI payment-request methods: {@code requestPayment {number, amount, vpa, name?, note?}},
 * {@code updatePayment {requestId, state, utr?}}, {@code payment {requestId}}.
 */
final class PaymentRpc extends RpcArea {

  private static final Set<String> NAMES = Set.of("requestPayment", "updatePayment", "payment");


  PaymentRpc(ParleyClient client) {
    super(client, NAMES);
  }

  @Override
  JsonNode call(String method, JsonNode params) throws ParleyException, RpcError {
    switch (method) {
      case "requestPayment": {
        Vpa payee = Vpa.parse(text(params, "vpa"));
        return Json.message(client.requestPayment(text(params, "number"), InrAmount.parse(text(params, "amount")),
            payee, optionalText(params, "name").orElse(payee.name()), optionalText(params, "note")));
      }
      case "updatePayment": {
        PaymentRequestId id = PaymentRequestId.parse(text(params, "requestId"));
        Optional<String> utr = optionalText(params, "utr");
        PaymentStatus status = switch (text(params, "state")) {
          case "paid" -> PaymentStatus.paid(Utr.parse(utr.orElseThrow(() ->
              invalid("'utr' is required with state paid"))));
          case "declined" -> PaymentStatus.DECLINED;
          case "cancelled" -> PaymentStatus.CANCELLED;
          default -> throw invalid("'state' is paid, declined or cancelled");
        };
        if (utr.isPresent() && status.utr().isEmpty()) {
          throw invalid("'utr' goes with state paid only");
        }
        return PlaceAndPaymentOutput.payment(client.updatePayment(id, status));
      }
      case "payment":
        return PlaceAndPaymentOutput.payment(client.payment(PaymentRequestId.parse(text(params, "requestId"))));
      default:
        throw unknown(method);
    }
  }
}
