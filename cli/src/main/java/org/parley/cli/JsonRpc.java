package org.parley.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.client.api.DeviceRevoked;
import org.parley.client.api.IdentityChange;
import org.parley.client.api.LinkedDevice;
import org.parley.client.api.Message;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import org.parley.client.api.ParleyListener;
import org.parley.client.api.Presence;
import org.parley.client.api.Typing;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.attachments.AttachmentProgress;
import org.parley.client.api.attachments.OutgoingAttachment;
import org.parley.client.api.groups.GroupEvent;
import org.parley.client.api.groups.GroupInfo;
import org.parley.client.api.groups.GroupMessage;
import org.parley.client.api.groups.GroupProblem;
import org.parley.client.api.groups.GroupTyping;
import org.parley.client.api.groups.SenderKeyProblem;
import org.parley.client.api.location.Location;
import org.parley.client.api.payments.InrAmount;
import org.parley.client.api.payments.PaymentRequestEntry;
import org.parley.client.api.payments.PaymentRequestId;
import org.parley.client.api.payments.PaymentStatus;
import org.parley.client.api.payments.Utr;
import org.parley.client.api.payments.Vpa;

/**
 * JSON-RPC 2.0, one JSON value per line. Requests: {@code send {number, text, attachments?}},
 * {@code downloadAttachment {id}}, {@code saveAttachment {id, dir, timeout?}}, {@code history {number, limit?}},
 * {@code contacts}, {@code markRead {number}}, {@code safetyNumber {number}}, {@code typing {number, started}};
 * on the primary {@code addDevice {uri, profileName?}}, {@code listDevices}, {@code unlinkDevice {id}}; places and
 * UPI payment requests: {@code sendLocation {number, latitude, longitude, label?, address?}}, voice notes:
 * {@code sendVoiceNote {number, file}},
 * {@code requestPayment {number, amount, vpa, name?, note?}}, {@code updatePayment {requestId, state, utr?}},
 * {@code payment {requestId}}.
 * Notifications to the caller: {@code receive} (a message), {@code status} (an outgoing message moved),
 * {@code payment} (a payment request changed state),
 * {@code typing}, {@code presence}, {@code identityChanged}, {@code revoked} (this device's credentials),
 * {@code attachment} (an attachment changed state), {@code attachmentProgress}. Groups: the methods of
 * {@link GroupRpc}; notifications {@code groupReceive}, {@code groupStatus}, {@code groupChanged} (a system line),
 * {@code groupTyping}, {@code groupProblem}, {@code senderKeyProblem}.
 */
final class JsonRpc implements ParleyListener {

  static final int PARSE_ERROR = -32700;
  static final int INVALID_REQUEST = -32600;
  static final int METHOD_NOT_FOUND = -32601;
  static final int INVALID_PARAMS = -32602;
  static final int INTERNAL_ERROR = -32603;
  /** Application errors, one per exit-code kind (-32000 minus the exit code; plain errors -32000). */
  static final int ERROR = -32000;
  static final int NETWORK = -32000 - ExitCodes.NETWORK;
  static final int AUTHENTICATION = -32000 - ExitCodes.AUTHENTICATION;
  static final int NOT_FOUND = -32000 - ExitCodes.NOT_FOUND;

  private final ParleyClient client;
  private final PrintWriter out;
  /** Sees download progress (JsonRpc forwards it), so that saveAttachment waits while a download moves. */
  private final AttachmentSaver downloads;
  private final GroupRpc groups;

  JsonRpc(ParleyClient client, PrintWriter out) {
    this.client = client;
    this.groups = new GroupRpc(client);
    this.out = out;
    this.downloads = new AttachmentSaver(client, () -> { });
  }

  /** Handles one line; answers (unless it was a notification) on {@code out}. */
  void handleLine(String line) {
    if (line.isBlank()) {
      return;
    }
    JsonNode parsed;
    try {
      parsed = Json.MAPPER.readTree(line);
    } catch (JsonProcessingException e) {
      write(error(null, PARSE_ERROR, "Parse error: " + e.getOriginalMessage()));
      return;
    }
    if (parsed.isArray()) {
      if (parsed.isEmpty()) {
        write(error(null, INVALID_REQUEST, "Empty batch"));
        return;
      }
      ArrayNode answers = Json.MAPPER.createArrayNode();
      for (JsonNode request : parsed) {
        ObjectNode answer = handle(request);
        if (answer != null) {
          answers.add(answer);
        }
      }
      if (!answers.isEmpty()) {
        write(answers);
      }
      return;
    }
    ObjectNode answer = handle(parsed);
    if (answer != null) {
      write(answer);
    }
  }

  private ObjectNode handle(JsonNode request) {
    if (!request.isObject() || !"2.0".equals(request.path("jsonrpc").asText()) || !request.path("method").isTextual()
        || request.has("id") && !(request.get("id").isTextual() || request.get("id").isNumber()
            || request.get("id").isNull())) {
      return error(request.isObject() ? request.get("id") : null, INVALID_REQUEST,
          "Invalid request: needs jsonrpc \"2.0\" and a method");
    }
    JsonNode id = request.get("id");
    boolean notification = id == null;
    JsonNode params = request.path("params");
    try {
      JsonNode result = call(request.get("method").asText(), params);
      if (notification) {
        return null;
      }
      ObjectNode answer = Json.MAPPER.createObjectNode();
      answer.put("jsonrpc", "2.0");
      answer.set("result", result);
      answer.set("id", id);
      return answer;
    } catch (RpcError e) {
      return notification ? null : error(id, e.code, e.getMessage());
    } catch (ParleyException e) {
      return notification ? null : error(id, code(e), e.getMessage());
    } catch (RuntimeException e) {
      return notification ? null : error(id, INTERNAL_ERROR, "Internal error: " + e);
    }
  }

  private JsonNode call(String method, JsonNode params) throws ParleyException, RpcError {
    switch (method) {
      case "send": {
        if (params.has("attachments")) {
          List<OutgoingAttachment> files = attachments(params);
          JsonNode caption = params.path("text");
          if (!caption.isMissingNode() && !caption.isTextual()) {
            throw new RpcError(INVALID_PARAMS, "Invalid params: 'text' must be a string");
          }
          return Json.message(client.send(text(params, "number"), caption.asText(""), files));
        }
        return Json.message(client.send(text(params, "number"), text(params, "text")));
      }
      case "downloadAttachment": {
        long id = attachmentId(params);
        client.download(id);
        return Json.attachment(client.attachment(id));
      }
      case "saveAttachment": {
        long id = attachmentId(params);
        Path dir = Path.of(text(params, "dir"));
        if (!Files.isDirectory(dir)) {
          throw new RpcError(INVALID_PARAMS, "Invalid params: 'dir' " + dir + " is not a directory");
        }
        int timeout = params.path("timeout").asInt(60);
        try {
          Path saved = downloads.save(id, dir, Duration.ofSeconds(Math.max(1, timeout)));
          ObjectNode result = Json.attachment(client.attachment(id));
          result.put("savedPath", saved.toString());
          return result;
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ParleyException("Interrupted while waiting for the download", e);
        } catch (ParleyException e) {
          throw new RpcError(code(e), "Attachment " + id + ": " + AttachmentSaver.reason(e, id));
        }
      }
      case "history": {
        int limit = params.path("limit").asInt(50);
        ArrayNode array = Json.MAPPER.createArrayNode();
        client.history(text(params, "number"), limit).forEach(m -> array.add(Json.message(m)));
        return array;
      }
      case "contacts": {
        ArrayNode array = Json.MAPPER.createArrayNode();
        client.contacts().forEach(c -> array.add(Json.contact(c)));
        return array;
      }
      case "markRead": {
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.put("count", client.markRead(text(params, "number")));
        return result;
      }
      case "safetyNumber":
        return Json.safetyNumber(client.safetyNumber(text(params, "number")));
      case "typing": {
        client.sendTyping(text(params, "number"), params.path("started").asBoolean(true));
        return Json.MAPPER.createObjectNode();
      }
      case "addDevice": {
        JsonNode profileName = params.path("profileName");
        if (!profileName.isMissingNode() && !profileName.isTextual()) {
          throw new RpcError(INVALID_PARAMS, "Invalid params: 'profileName' must be a string");
        }
        try {
          return device(client.addDevice(text(params, "uri"), profileName.asText("")));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ParleyException("Interrupted while waiting for the new device", e);
        }
      }
      case "listDevices": {
        ArrayNode array = Json.MAPPER.createArrayNode();
        client.devices().forEach(d -> array.add(device(d)));
        return array;
      }
      case "unlinkDevice": {
        JsonNode id = params.path("id");
        if (!id.canConvertToInt() || !id.isIntegralNumber()) {
          throw new RpcError(INVALID_PARAMS, "Invalid params: 'id' (a device id, an integer) is required");
        }
        client.unlink(id.intValue());
        return Json.MAPPER.createObjectNode();
      }
      case "sendVoiceNote": {
        return Json.message(client.sendVoiceNote(text(params, "number"), readable(text(params, "file"))));
      }
      case "sendLocation": {
        Location place = Location.of(number(params, "latitude"), number(params, "longitude"), Optional.empty(),
            optionalText(params, "label"), optionalText(params, "address"));
        return Json.message(client.sendLocation(text(params, "number"), place));
      }
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
              new RpcError(INVALID_PARAMS, "Invalid params: 'utr' is required with state paid"))));
          case "declined" -> PaymentStatus.DECLINED;
          case "cancelled" -> PaymentStatus.CANCELLED;
          default -> throw new RpcError(INVALID_PARAMS, "Invalid params: 'state' is paid, declined or cancelled");
        };
        if (utr.isPresent() && status.utr().isEmpty()) {
          throw new RpcError(INVALID_PARAMS, "Invalid params: 'utr' goes with state paid only");
        }
        return PlaceAndPaymentOutput.payment(client.updatePayment(id, status));
      }
      case "payment":
        return PlaceAndPaymentOutput.payment(client.payment(PaymentRequestId.parse(text(params, "requestId"))));
      default:
        if (GroupRpc.METHODS.contains(method)) {
          return groups.call(method, params);
        }
        throw new RpcError(METHOD_NOT_FOUND, "Method not found: " + method);
    }
  }

  /** {@code attachments}: an array of file paths, or of {@code {path, contentType?, caption?, asFile?}} objects. */
  private static List<OutgoingAttachment> attachments(JsonNode params) throws RpcError {
    JsonNode array = params.get("attachments");
    if (!array.isArray() || array.isEmpty()) {
      throw new RpcError(INVALID_PARAMS, "Invalid params: 'attachments' must be a non-empty array of file paths");
    }
    boolean asFile = params.path("asFile").asBoolean(false);
    List<OutgoingAttachment> files = new ArrayList<>();
    for (JsonNode item : array) {
      if (item.isTextual()) {
        files.add(new OutgoingAttachment(readable(item.asText()), Optional.empty(), Optional.empty(), asFile));
      } else if (item.isObject()) {
        files.add(new OutgoingAttachment(readable(text(item, "path")), optionalText(item, "contentType"),
            optionalText(item, "caption"), item.path("asFile").asBoolean(asFile)));
      } else {
        throw new RpcError(INVALID_PARAMS, "Invalid params: each attachment is a file path or {path, ...}");
      }
    }
    return files;
  }

  private static Path readable(String path) throws RpcError {
    Path file = Path.of(path);
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw new RpcError(INVALID_PARAMS, "Invalid params: cannot read attachment " + path
          + (Files.exists(file) ? " (not a readable file)" : " (no such file)"));
    }
    return file;
  }

  private static long attachmentId(JsonNode params) throws RpcError {
    JsonNode id = params.path("id");
    if (!id.isIntegralNumber() || !id.canConvertToLong()) {
      throw new RpcError(INVALID_PARAMS, "Invalid params: 'id' (an attachment id, an integer) is required");
    }
    return id.longValue();
  }

  private static ObjectNode device(LinkedDevice d) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("id", d.deviceId());
    node.put("name", d.name());
    node.put("created", d.created());
    node.put("lastSeen", d.lastSeen());
    node.put("primary", d.primary());
    node.put("thisDevice", d.thisDevice());
    return node;
  }

  private static String text(JsonNode params, String name) throws RpcError {
    JsonNode value = params.path(name);
    if (!value.isTextual()) {
      throw new RpcError(INVALID_PARAMS, "Invalid params: '" + name + "' (a string) is required");
    }
    return value.asText();
  }

  private static Optional<String> optionalText(JsonNode params, String name) throws RpcError {
    JsonNode value = params.path(name);
    if (value.isMissingNode() || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw new RpcError(INVALID_PARAMS, "Invalid params: '" + name + "' must be a string");
    }
    return Optional.of(value.asText());
  }

  private static double number(JsonNode params, String name) throws RpcError {
    JsonNode value = params.path(name);
    if (!value.isNumber()) {
      throw new RpcError(INVALID_PARAMS, "Invalid params: '" + name + "' (a number) is required");
    }
    return value.asDouble();
  }

  /** The exit-code kind of {@code e}, as a JSON-RPC code: invalid input is invalid params, the rest -32000 - kind. */
  private static int code(ParleyException e) {
    int exit = ExitCodes.of(e);
    return exit == ExitCodes.USAGE ? INVALID_PARAMS : exit == ExitCodes.ERROR ? ERROR : -32000 - exit;
  }

  private static ObjectNode error(JsonNode id, int code, String message) {
    ObjectNode answer = Json.MAPPER.createObjectNode();
    answer.put("jsonrpc", "2.0");
    ObjectNode error = answer.putObject("error");
    error.put("code", code);
    error.put("message", message);
    answer.set("id", id == null ? Json.MAPPER.nullNode() : id);
    return answer;
  }

  private void notify(String method, JsonNode params) {
    ObjectNode notification = Json.MAPPER.createObjectNode();
    notification.put("jsonrpc", "2.0");
    notification.put("method", method);
    notification.set("params", params);
    write(notification);
  }

  private void write(JsonNode node) {
    synchronized (out) {
      out.println(Json.write(node));
      out.flush();
    }
  }

  @Override
  public void messageReceived(Message message) {
    notify("receive", Json.message(message));
  }

  @Override
  public void statusChanged(Message message) {
    notify("status", Json.message(message));
  }

  @Override
  public void attachmentChanged(Attachment attachment) {
    notify("attachment", Json.attachment(attachment));
  }

  @Override
  public void attachmentProgress(AttachmentProgress progress) {
    downloads.attachmentProgress(progress);
    ObjectNode params = Json.MAPPER.createObjectNode();
    params.put("id", progress.attachmentId());
    params.put("messageId", progress.messageId());
    params.put("number", progress.contactNumber());
    params.put("direction", progress.upload() ? "upload" : "download");
    params.put("done", progress.done());
    params.put("total", progress.total());
    notify("attachmentProgress", params);
  }

  @Override
  public void paymentChanged(PaymentRequestEntry payment) {
    notify("payment", PlaceAndPaymentOutput.payment(payment));
  }

  @Override
  public void typing(Typing typing) {
    ObjectNode params = Json.MAPPER.createObjectNode();
    params.put("number", typing.number());
    params.put("started", typing.started());
    notify("typing", params);
  }

  @Override
  public void presence(Presence presence) {
    ObjectNode params = Json.MAPPER.createObjectNode();
    params.put("number", presence.number());
    params.put("online", presence.online());
    params.put("lastSeen", presence.lastSeen());
    notify("presence", params);
  }

  @Override
  public void identityChanged(IdentityChange change) {
    ObjectNode params = Json.MAPPER.createObjectNode();
    params.put("number", change.number());
    params.put("changedAt", change.changedAt());
    notify("identityChanged", params);
  }

  @Override
  public void groupMessageReceived(GroupMessage message) {
    notify("groupReceive", GroupOutput.message(message));
  }

  @Override
  public void groupStatusChanged(GroupMessage message) {
    notify("groupStatus", GroupOutput.message(message));
  }

  @Override
  public void groupChanged(GroupInfo group, GroupEvent event) {
    ObjectNode params = GroupOutput.event(event);
    params.set("state", GroupOutput.info(group));
    notify("groupChanged", params);
  }

  @Override
  public void groupTyping(GroupTyping typing) {
    ObjectNode params = Json.MAPPER.createObjectNode();
    params.put("group", typing.groupId().value());
    params.put("number", typing.number());
    params.put("started", typing.started());
    notify("groupTyping", params);
  }

  @Override
  public void groupProblem(GroupProblem problem) {
    ObjectNode params = Json.MAPPER.createObjectNode();
    params.put("group", problem.groupId().value());
    params.put("sender", problem.senderNumber());
    params.put("reason", problem.reason());
    notify("groupProblem", params);
  }

  @Override
  public void senderKeyProblem(SenderKeyProblem problem) {
    ObjectNode params = Json.MAPPER.createObjectNode();
    params.put("sender", problem.senderNumber());
    params.put("device", problem.senderDevice());
    params.put("timestamp", problem.timestamp());
    params.put("reason", problem.reason());
    notify("senderKeyProblem", params);
  }

  @Override
  public void deviceRevoked(DeviceRevoked revoked) {
    ObjectNode params = Json.MAPPER.createObjectNode();
    params.put("reason", revoked.reason() == DeviceRevoked.Reason.UNLINKED ? "unlinked" : "reregistered");
    params.put("message", revoked.serverMessage());
    notify("revoked", params);
  }

  /** A JSON-RPC error with its code. */
  static final class RpcError extends Exception {
    private static final long serialVersionUID = 1L;
    final int code;

    RpcError(int code, String message) {
      super(message);
      this.code = code;
    }
  }
}
