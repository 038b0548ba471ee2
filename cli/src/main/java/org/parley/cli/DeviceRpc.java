package org.parley.cli;

import static org.parley.cli.RpcParams.invalid;
import static org.parley.cli.RpcParams.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import org.parley.cli.JsonRpc.RpcError;
import org.parley.client.api.LinkedDevice;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;

/**
 * The daemon's linked-device methods, on the primary: {@code addDevice {uri, profileName?}}, {@code listDevices},
 * {@code unlinkDevice {id}}.
 */
final class DeviceRpc extends RpcArea {

  private static final Set<String> NAMES = Set.of("addDevice", "listDevices", "unlinkDevice");


  DeviceRpc(ParleyClient client) {
    super(client, NAMES);
  }

  @Override
  JsonNode call(String method, JsonNode params) throws ParleyException, RpcError {
    switch (method) {
      case "addDevice": {
        JsonNode profileName = params.path("profileName");
        if (!profileName.isMissingNode() && !profileName.isTextual()) {
          throw invalid("'profileName' must be a string");
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
          throw invalid("'id' (a device id, an integer) is required");
        }
        client.unlink(id.intValue());
        return Json.MAPPER.createObjectNode();
      }
      default:
        throw unknown(method);
    }
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
}
