package org.parley.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import org.parley.client.api.Contact;
import org.parley.client.api.Message;
import org.parley.client.api.SafetyNumber;

/** The JSON shapes the CLI prints (and the daemon sends). */
final class Json {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  static ObjectNode message(Message m) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("id", m.id());
    node.put("number", m.contactNumber());
    node.put("direction", m.direction() == Message.Direction.INCOMING ? "incoming" : "outgoing");
    node.put("text", m.text());
    node.put("timestamp", m.timestamp());
    node.put("sentAt", Instant.ofEpochMilli(m.timestamp()).toString());
    m.receivedAt().ifPresent(r -> node.put("receivedAt", Instant.ofEpochMilli(r).toString()));
    node.put("status", m.status().name().toLowerCase(Locale.ROOT));
    node.put("statusAt", Instant.ofEpochMilli(m.statusAt()).toString());
    m.call().ifPresent(call -> {
      ObjectNode c = node.putObject("call");
      c.put("callId", call.callId());
      c.put("endReason", call.endReason().name().toLowerCase(Locale.ROOT));
      c.put("durationSeconds", call.duration().toMillis() / 1000.0);
      c.put("missed", call.missed());
    });
    PlaceAndPaymentOutput.addTo(node, m);
    return node;
  }

  static ObjectNode contact(Contact c) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("number", c.number());
    node.put("accountId", c.accountId());
    node.put("unread", c.unread());
    node.put("lastActivity", Instant.ofEpochMilli(c.lastActivity()).toString());
    c.identityChangedAt().ifPresent(t -> node.put("identityChangedAt", Instant.ofEpochMilli(t).toString()));
    return node;
  }

  static ObjectNode safetyNumber(SafetyNumber s) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("number", s.number());
    node.put("safetyNumber", s.digits());
    node.put("scannable", Base64.getEncoder().encodeToString(s.scannable()));
    s.identityChangedAt().ifPresent(t -> node.put("identityChangedAt", Instant.ofEpochMilli(t).toString()));
    return node;
  }

  static String write(Object node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
