package org.parley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.parley.cli.JsonRpc.RpcError;

/** Reads a JSON-RPC request's params; a missing or ill-typed one is an invalid-params error that names it. */
final class RpcParams {

  private RpcParams() {}

  static String text(JsonNode params, String name) throws RpcError {
    JsonNode value = params.path(name);
    if (!value.isTextual()) {
      throw invalid("'" + name + "' (a string) is required");
    }
    return value.asText();
  }

  static Optional<String> optionalText(JsonNode params, String name) throws RpcError {
    JsonNode value = params.path(name);
    if (value.isMissingNode() || value.isNull()) {
      return Optional.empty();
    }
    if (!value.isTextual()) {
      throw invalid("'" + name + "' must be a string");
    }
    return Optional.of(value.asText());
  }

  static double number(JsonNode params, String name) throws RpcError {
    JsonNode value = params.path(name);
    if (!value.isNumber()) {
      throw invalid("'" + name + "' (a number) is required");
    }
    return value.asDouble();
  }

  /** {@code name}: a non-empty array of numbers (strings). */
  static List<String> numbers(JsonNode params, String name) throws RpcError {
    JsonNode array = params.path(name);
    if (!array.isArray() || array.isEmpty()) {
      throw invalid("'" + name + "' (an array of numbers) is required");
    }
    List<String> numbers = new ArrayList<>();
    for (JsonNode item : array) {
      if (!item.isTextual()) {
        throw invalid("each member is a number (a string)");
      }
      numbers.add(item.asText());
    }
    return numbers;
  }

  /** A file the daemon can read (to send it). */
  static Path readable(String path) throws RpcError {
    Path file = Path.of(path);
    if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
      throw invalid("cannot read attachment " + path
          + (Files.exists(file) ? " (not a readable file)" : " (no such file)"));
    }
    return file;
  }

  static RpcError invalid(String what) {
    return new RpcError(JsonRpc.INVALID_PARAMS, "Invalid params: " + what);
  }
}
