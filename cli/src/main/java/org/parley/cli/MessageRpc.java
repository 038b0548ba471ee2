package org.parley.cli;

import static org.parley.cli.RpcParams.invalid;
import static org.parley.cli.RpcParams.number;
import static org.parley.cli.RpcParams.optionalText;
import static org.parley.cli.RpcParams.readable;
import static org.parley.cli.RpcParams.text;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.parley.cli.JsonRpc.RpcError;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import org.parley.client.api.attachments.OutgoingAttachment;
import org.parley.client.api.groups.GroupId;
import org.parley.client.api.location.Location;

/**
 * The daemon's 1:1 message methods: {@code send {number, text, attachments?}} (or {@code send {groupId, text?,
 * attachments?}} for a group), {@code sendVoiceNote {number, file}},
 * {@code sendLocation {number, latitude, longitude, label?, address?}}, {@code history {number, limit?}},
 * {@code contacts}, {@code markRead {number}}, {@code safetyNumber {number}}, {@code typing {number, started}},
 * {@code downloadAttachment {id}}, {@code saveAttachment {id, dir, timeout?}}.
 */
final class MessageRpc extends RpcArea {

  private static final Set<String> NAMES = Set.of("send", "sendVoiceNote", "sendLocation", "history", "contacts",
      "markRead", "safetyNumber", "typing", "downloadAttachment", "saveAttachment");

  private final AttachmentSaver downloads;

  MessageRpc(ParleyClient client, AttachmentSaver downloads) {
    super(client, NAMES);
    this.downloads = downloads;
  }

  @Override
  JsonNode call(String method, JsonNode params) throws ParleyException, RpcError {
    switch (method) {
      case "send": {
        if (params.has("groupId")) {
          return groupSend(params);
        }
        if (params.has("attachments")) {
          List<OutgoingAttachment> files = attachments(params);
          JsonNode caption = params.path("text");
          if (!caption.isMissingNode() && !caption.isTextual()) {
            throw invalid("'text' must be a string");
          }
          return Json.message(client.send(text(params, "number"), caption.asText(""), files));
        }
        return Json.message(client.send(text(params, "number"), text(params, "text")));
      }
      case "sendVoiceNote":
        return Json.message(client.sendVoiceNote(text(params, "number"), readable(text(params, "file"))));
      case "sendLocation": {
        Location place = Location.of(number(params, "latitude"), number(params, "longitude"), Optional.empty(),
            optionalText(params, "label"), optionalText(params, "address"));
        return Json.message(client.sendLocation(text(params, "number"), place));
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
      case "markRead":
        return Json.MAPPER.createObjectNode().put("count", client.markRead(text(params, "number")));
      case "safetyNumber":
        return Json.safetyNumber(client.safetyNumber(text(params, "number")));
      case "typing":
        client.sendTyping(text(params, "number"), params.path("started").asBoolean(true));
        return Json.MAPPER.createObjectNode();
      case "downloadAttachment": {
        long id = attachmentId(params);
        client.download(id);
        return Json.attachment(client.attachment(id));
      }
      case "saveAttachment":
        return save(params);
      default:
        throw unknown(method);
    }
  }

  private JsonNode save(JsonNode params) throws ParleyException, RpcError {
    long id = attachmentId(params);
    Path dir = Path.of(text(params, "dir"));
    if (!Files.isDirectory(dir)) {
      throw invalid("'dir' " + dir + " is not a directory");
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
      throw new RpcError(JsonRpc.code(e), "Attachment " + id + ": " + AttachmentSaver.reason(e, id));
    }
  }

  /** {@code send {groupId, text?, attachments?}}: as {@code groupSend}, files uploaded once for the whole group. */
  private JsonNode groupSend(JsonNode params) throws ParleyException, RpcError {
    GroupId groupId = GroupId.parse(text(params, "groupId"));
    JsonNode caption = params.path("text");
    if (!caption.isMissingNode() && !caption.isTextual()) {
      throw invalid("'text' must be a string");
    }
    if (!params.has("attachments")) {
      return GroupOutput.message(client.sendToGroup(groupId, text(params, "text")));
    }
    return GroupOutput.message(client.sendToGroup(groupId, caption.asText(""), attachments(params)));
  }

  /** {@code attachments}: an array of file paths, or of {@code {path, contentType?, caption?, asFile?}} objects. */
  static List<OutgoingAttachment> attachments(JsonNode params) throws RpcError {
    JsonNode array = params.get("attachments");
    if (!array.isArray() || array.isEmpty()) {
      throw invalid("'attachments' must be a non-empty array of file paths");
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
        throw invalid("each attachment is a file path or {path, ...}");
      }
    }
    return files;
  }

  private static long attachmentId(JsonNode params) throws RpcError {
    JsonNode id = params.path("id");
    if (!id.isIntegralNumber() || !id.canConvertToLong()) {
      throw invalid("'id' (an attachment id, an integer) is required");
    }
    return id.longValue();
  }
}
