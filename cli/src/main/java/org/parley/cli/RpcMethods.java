package org.parley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Set;
import org.parley.cli.JsonRpc.RpcError;
import org.parley.client.api.ParleyException;

/** One area's JSON-RPC methods (messages, devices, payments, groups): {@link JsonRpc} routes each name to it. */
interface RpcMethods {

  Set<String> names();

  /** The result of {@code method} (one of {@link #names()}); bad params are an {@link RpcError}. */
  JsonNode call(String method, JsonNode params) throws ParleyException, RpcError;
}
