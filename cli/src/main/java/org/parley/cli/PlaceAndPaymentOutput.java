package org.parley.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Locale;
import org.parley.client.api.Message;
import org.parley.client.api.location.Location;
import org.parley.client.api.payments.PaymentRequest;
import org.parley.client.api.payments.PaymentRequestEntry;
import org.parley.client.api.payments.PaymentState;

/** How locations and payment requests look in the CLI's output: JSON fields and the text after a message line. */
final class PlaceAndPaymentOutput {

  private PlaceAndPaymentOutput() {}

  /** Adds {@code location} or {@code payment} to a message's JSON when it carries one. */
  static void addTo(ObjectNode node, Message m) {
    m.location().ifPresent(place -> node.set("location", location(place)));
    m.payment().ifPresent(payment -> node.set("payment", payment(payment)));
  }

  static ObjectNode location(Location place) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("latitude", place.latitude());
    node.put("longitude", place.longitude());
    place.accuracyMeters().ifPresent(a -> node.put("accuracyMeters", a));
    place.name().ifPresent(n -> node.put("label", n));
    place.address().ifPresent(a -> node.put("address", a));
    node.put("osmUrl", place.openStreetMapLink().toString());
    node.put("geoUri", place.geoUri().toString());
    return node;
  }

  static ObjectNode payment(PaymentRequestEntry entry) {
    PaymentRequest request = entry.request();
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("requestId", request.id().value());
    node.put("number", entry.contactNumber());
    node.put("role", entry.ourRole().name().toLowerCase(Locale.ROOT));
    node.put("amount", request.amount().toUpiString());
    node.put("currency", "INR");
    node.put("vpa", request.payee().value());
    node.put("payeeName", request.payeeName());
    request.note().ifPresent(n -> node.put("note", n));
    node.put("state", entry.status().state().name().toLowerCase(Locale.ROOT));
    entry.status().utr().ifPresent(u -> node.put("utr", u.value()));
    node.put("statusAt", Instant.ofEpochMilli(entry.statusAt()).toString());
    node.put("upiLink", request.upiLink());
    return node;
  }

  /** What a text line shows after the message's text: the map link, or the request's id, state and link. */
  static String suffix(Message m) {
    if (m.location().isPresent()) {
      return "  " + m.location().get().openStreetMapLink();
    }
    return m.payment().map(p -> "  [" + state(p) + "] id " + p.id() + "  " + p.request().upiLink()).orElse("");
  }

  static String state(PaymentRequestEntry entry) {
    PaymentState state = entry.status().state();
    return state.name().toLowerCase(Locale.ROOT) + entry.status().utr().map(u -> " (UTR " + u + ")").orElse("");
  }

  /** A line for a payment request that changed state. */
  static String changed(PaymentRequestEntry entry) {
    return Text.time(entry.statusAt()) + " " + entry.contactNumber() + " payment request " + entry.id() + " "
        + entry.request().amount() + ": " + state(entry);
  }
}
