package org.parley.cli;

import static org.parley.cli.RpcParams.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import org.parley.client.api.groups.GroupId;

/**
 * The daemon's group methods (JSON-RPC, next to {@link JsonRpc}'s): {@code groupCreate {name, members}},
 * {@code groupAdd {group, members}}, {@code groupRemove {group, number}}, {@code groupPromote {group, number}},
 * {@code groupLeave {group}}, {@code groupRename {group, name}}, {@code groupInfo {group}}, {@code groupList},
 * {@code groupSend {group, text, attachments?}}, {@code groupPicture {group, file} or {group, remove: true}}, {@code groupHistory {group, limit?}}, {@code groupMarkRead {group}},
 * {@code groupMessageInfo {id}}, {@code groupTyping {group, started}}. Results are the JSON of {@link GroupOutput}.
 */
final class GroupRpc extends RpcArea {

  static final Set<String> METHODS = Set.of("groupCreate", "groupAdd", "groupRemove", "groupPromote", "groupLeave",
      "groupRename", "groupInfo", "groupList", "groupSend", "groupHistory", "groupMarkRead", "groupMessageInfo",
      "groupTyping", "groupPicture");


  GroupRpc(ParleyClient client) {
    super(client, METHODS);
  }

  @Override
  JsonNode call(String method, JsonNode params) throws ParleyException, JsonRpc.RpcError {
    return switch (method) {
      case "groupCreate" -> GroupOutput.info(client.createGroup(text(params, "name"), numbers(params)));
      case "groupAdd" -> GroupOutput.info(client.addGroupMembers(group(params), numbers(params)));
      case "groupRemove" -> GroupOutput.info(client.removeGroupMember(group(params), text(params, "number")));
      case "groupPromote" -> GroupOutput.info(client.promoteGroupMember(group(params), text(params, "number")));
      case "groupLeave" -> GroupOutput.info(client.leaveGroup(group(params)));
      case "groupRename" -> GroupOutput.info(client.renameGroup(group(params), text(params, "name")));
      case "groupInfo" -> GroupOutput.info(client.group(group(params)));
      case "groupList" -> {
        ArrayNode array = Json.MAPPER.createArrayNode();
        client.groups().forEach(g -> array.add(GroupOutput.info(g)));
        yield array;
      }
      case "groupSend" -> params.has("attachments")
          ? GroupOutput.message(client.sendToGroup(group(params), params.path("text").asText(""),
              MessageRpc.attachments(params)))
          : GroupOutput.message(client.sendToGroup(group(params), text(params, "text")));
      case "groupPicture" -> params.path("remove").asBoolean(false)
          ? GroupOutput.info(client.removeGroupPicture(group(params)))
          : GroupOutput.info(client.setGroupPicture(group(params), Path.of(text(params, "file"))));
      case "groupHistory" -> {
        ArrayNode array = Json.MAPPER.createArrayNode();
        client.groupHistory(group(params), params.path("limit").asInt(50))
            .forEach(e -> array.add(GroupOutput.entry(e)));
        yield array;
      }
      case "groupMarkRead" -> {
        ObjectNode result = Json.MAPPER.createObjectNode();
        result.put("count", client.markGroupRead(group(params)));
        yield result;
      }
      case "groupMessageInfo" -> {
        JsonNode id = params.path("id");
        if (!id.isIntegralNumber()) {
          throw new JsonRpc.RpcError(JsonRpc.INVALID_PARAMS, "Invalid params: 'id' (a group message id) is required");
        }
        yield GroupOutput.messageInfo(client.groupMessageInfo(id.longValue()));
      }
      case "groupTyping" -> {
        client.sendGroupTyping(group(params), params.path("started").asBoolean(true));
        yield Json.MAPPER.createObjectNode();
      }
      default -> throw unknown(method);
    };
  }

  private static GroupId group(JsonNode params) throws ParleyException, JsonRpc.RpcError {
    return GroupId.parse(text(params, "group"));
  }

  private static List<String> numbers(JsonNode params) throws JsonRpc.RpcError {
    return RpcParams.numbers(params, "members");
  }
}
