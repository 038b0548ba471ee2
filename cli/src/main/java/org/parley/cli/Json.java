package org.parley.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import org.parley.client.api.Contact;
import org.parley.client.api.Message;
import org.parley.client.api.SafetyNumber;
import org.parley.client.api.attachments.Attachment;

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
    if (m.hasAttachments()) {
      ArrayNode attachments = node.putArray("attachments");
      m.attachments().forEach(a -> attachments.add(attachment(a)));
    }
    PlaceAndPaymentOutput.addTo(node, m);
    return node;
  }

  /**
   * An attachment: what the message says about it (type, name, size, dimensions, thumbnail as base64) and where it
   * is on this device ({@code state}, lower case: {@code not_downloaded}, {@code downloaded}, {@code uploaded}...).
   */
  static ObjectNode attachment(Attachment a) {
    ObjectNode node = MAPPER.createObjectNode();
    node.put("id", a.id());
    node.put("messageId", a.messageId());
    node.put("contentType", a.contentType());
    node.put("fileName", a.fileName());
    node.put("size", a.size());
    a.width().ifPresent(w -> node.put("width", w));
    a.height().ifPresent(h -> node.put("height", h));
    a.durationMillis().ifPresent(d -> node.put("durationMs", d));
    a.caption().ifPresent(c -> node.put("caption", c));
    a.thumbnail().ifPresent(t -> node.put("thumbnail", Base64.getEncoder().encodeToString(t)));
    node.put("state", a.state().name().toLowerCase(Locale.ROOT));
    a.error().ifPresent(e -> node.put("error", e));
    a.voiceNote().ifPresent(v -> {
      ObjectNode voice = node.putObject("voiceNote");
      voice.put("durationMs", v.duration().toMillis());
      ArrayNode waveform = voice.putArray("waveform");
      v.waveform().forEach(waveform::add);
    });
    return node;
  }

  /** The {@code attachments} array of a message node, so that {@code savedPath} or {@code error} can be added. */
  static ObjectNode attachmentOf(ObjectNode message, long attachmentId) {
    for (JsonNode a : message.path("attachments")) {
      if (a.path("id").asLong() == attachmentId) {
        return (ObjectNode) a;
      }
    }
    throw new IllegalArgumentException("no attachment " + attachmentId + " in " + message);
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
