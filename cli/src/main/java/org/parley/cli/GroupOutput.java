package org.parley.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Locale;
import org.parley.client.api.groups.GroupEvent;
import org.parley.client.api.groups.GroupHistoryEntry;
import org.parley.client.api.groups.GroupInfo;
import org.parley.client.api.groups.GroupMember;
import org.parley.client.api.groups.GroupMessage;
import org.parley.client.api.groups.GroupMessageInfo;
import org.parley.client.api.groups.MemberReceipt;

/** How groups, their messages and system lines print: as text lines and as JSON (the daemon sends the same). */
final class GroupOutput {

  private GroupOutput() {}

  static ObjectNode info(GroupInfo g) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("group", g.id().value());
    node.put("name", g.name());
    node.put("revision", g.revision());
    node.put("membersMayEdit", g.membersMayEdit());
    node.put("member", g.selfIsMember());
    node.put("unread", g.unread());
    g.picture().ifPresent(p -> node.set("picture", Json.attachment(p)));
    ArrayNode members = node.putArray("members");
    for (GroupMember m : g.members()) {
      members.addObject().put("number", m.number()).put("admin", m.isAdmin()).put("addedBy", m.addedBy());
    }
    return node;
  }

  static ObjectNode message(GroupMessage m) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("type", "groupMessage");
    node.put("id", m.id());
    node.put("group", m.groupId().value());
    node.put("sender", m.senderNumber());
    node.put("direction", m.isOutgoing() ? "outgoing" : "incoming");
    node.put("text", m.text());
    node.put("timestamp", m.timestamp());
    node.put("sentAt", Instant.ofEpochMilli(m.timestamp()).toString());
    m.receivedAt().ifPresent(r -> node.put("receivedAt", Instant.ofEpochMilli(r).toString()));
    node.put("status", m.status().name().toLowerCase(Locale.ROOT));
    if (!m.attachments().isEmpty()) {
      ArrayNode attachments = node.putArray("attachments");
      m.attachments().forEach(a -> attachments.add(Json.attachment(a)));
    }
    return node;
  }

  static ObjectNode event(GroupEvent e) {
    ObjectNode node = Json.MAPPER.createObjectNode();
    node.put("type", "groupEvent");
    node.put("id", e.id());
    node.put("group", e.groupId().value());
    node.put("kind", e.kind().name().toLowerCase(Locale.ROOT));
    node.put("actor", e.actorNumber());
    ArrayNode targets = node.putArray("targets");
    e.targetNumbers().forEach(targets::add);
    e.newName().ifPresent(n -> node.put("name", n));
    node.put("revision", e.revision());
    node.put("timestamp", e.timestamp());
    node.put("text", e.describe(n -> n));
    return node;
  }

  static ObjectNode entry(GroupHistoryEntry entry) {
    return entry instanceof GroupMessage m ? message(m) : event((GroupEvent) entry);
  }

  static ObjectNode messageInfo(GroupMessageInfo info) {
    ObjectNode node = message(info.message());
    ArrayNode members = node.putArray("members");
    for (MemberReceipt r : info.members()) {
      ObjectNode member = members.addObject().put("number", r.number()).put("delivered", r.delivered())
          .put("read", r.read());
      r.deliveredAt().ifPresent(t -> member.put("deliveredAt", Instant.ofEpochMilli(t).toString()));
      r.readAt().ifPresent(t -> member.put("readAt", Instant.ofEpochMilli(t).toString()));
    }
    return node;
  }

  /** {@code 2026-12-03 08:00:00  [Trip] >> text  [✓✓ read]} or {@code … [Trip] +1555…: text}. */
  static String line(GroupHistoryEntry entry, String groupName) {
    if (entry instanceof GroupEvent e) {
      return Text.time(e.timestamp()) + "  [" + groupName + "] -- " + e.describe(n -> n);
    }
    GroupMessage m = (GroupMessage) entry;
    StringBuilder files = new StringBuilder();
    m.attachments().forEach(a -> files.append(System.lineSeparator()).append("  ").append(Text.attachment(a))
        .append(' ').append(Text.state(a)));
    if (m.isOutgoing()) {
      return Text.time(m.timestamp()) + "  [" + groupName + "] >> " + m.text() + "  [" + Text.ticks(m.status()) + "]"
          + files;
    }
    return Text.time(m.timestamp()) + "  [" + groupName + "] " + m.senderNumber() + ": " + m.text() + files;
  }

  static String infoText(GroupInfo g) {
    StringBuilder text = new StringBuilder();
    text.append(g.id().value()).append("  ").append(g.name()).append("  (revision ").append(g.revision())
        .append(g.selfIsMember() ? "" : ", you are no longer a member")
        .append(g.membersMayEdit() ? ", every member may edit" : ", admins edit").append(")\n");
    g.picture().ifPresent(p -> text.append("  picture: ").append(Text.attachment(p)).append(' ')
        .append(Text.state(p)).append('\n'));
    for (GroupMember m : g.members()) {
      text.append("  ").append(m.number()).append(m.isAdmin() ? "  admin" : "").append('\n');
    }
    return text.toString().stripTrailing();
  }
}
