package org.parley.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.PrintWriter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import org.parley.client.api.ParleyListener;

/**
 * JSON-RPC 2.0 for the daemon, one JSON value per line: parses requests and batches, routes each method to its area
 * ({@link MessageRpc}, {@link DeviceRpc}, {@link PaymentRpc}, {@link GroupRpc}), answers with a result or an error
 * code; {@link RpcNotifications} writes what the client reports as notifications on the same output.
 */
final class JsonRpc {

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

  private final PrintWriter out;
  private final Map<String, RpcArea> methods = new HashMap<>();
  private final RpcNotifications notifications;

  JsonRpc(ParleyClient client, PrintWriter out) {
    this.out = out;
    AttachmentSaver downloads = new AttachmentSaver(client, () -> { });
    for (RpcArea area : List.of(new MessageRpc(client, downloads), new DeviceRpc(client), new PaymentRpc(client),
        new GroupRpc(client))) {
      for (String name : area.names()) {
        if (methods.put(name, area) != null) {
          throw new IllegalStateException("Two areas answer " + name);
        }
      }
    }
    this.notifications = new RpcNotifications(this::notify, downloads);
  }

  /** Listens to the client and writes what it reports as notifications. */
  ParleyListener notifications() {
    return notifications;
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
    RpcArea area = methods.get(method);
    if (area == null) {
      throw new RpcError(METHOD_NOT_FOUND, "Method not found: " + method);
    }
    return area.call(method, params);
  }

  /** The exit-code kind of {@code e}, as a JSON-RPC code: invalid input is invalid params, the rest -32000 - kind. */
  static int code(ParleyException e) {
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
