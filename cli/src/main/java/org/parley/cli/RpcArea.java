package org.parley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import org.parley.cli.JsonRpc.RpcError;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;

/** One area's JSON-RPC methods (messages, devices, payments, groups): {@link JsonRpc} routes each name to it. */
abstract class RpcArea {

  final ParleyClient client;
  private final Set<String> names;

  RpcArea(ParleyClient client, Set<String> names) {
    this.client = client;
    this.names = names;
  }

  final Set<String> names() {
    return names;
  }

  /** The result of {@code method} (one of {@link #names()}); bad params are an {@link RpcError}. */
  abstract JsonNode call(String method, JsonNode params) throws ParleyException, RpcError;

  /** For a switch's default: a name this area lists but does not answer is a bug, told as an unknown method. */
  static RpcError unknown(String method) {
    return new RpcError(JsonRpc.METHOD_NOT_FOUND, "Method not found: " + method);
  }
}
