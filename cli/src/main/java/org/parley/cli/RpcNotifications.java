package org.parley.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.BiConsumer;
import org.parley.client.api.DeviceRevoked;
import org.parley.client.api.IdentityChange;
import org.parley.client.api.Message;
import org.parley.client.api.ParleyListener;
import org.parley.client.api.Presence;
import org.parley.client.api.Typing;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.attachments.AttachmentProgress;
import org.parley.client.api.groups.GroupEvent;
import org.parley.client.api.groups.GroupInfo;
import org.parley.client.api.groups.GroupMessage;
import org.parley.client.api.groups.GroupProblem;
import org.parley.client.api.groups.GroupTyping;
import org.parley.client.api.groups.SenderKeyProblem;
import org.parley.client.api.payments.PaymentRequestEntry;

/**
 * What the client reports, as the daemon's JSON-RPC notifications (method and params, handed to {@code notify}):
 * {@code receive}, {@code status}, {@code payment}, {@code typing}, {@code presence}, {@code identityChanged},
 * {@code revoked}, {@code attachment}, {@code attachmentProgress}; for groups {@code groupReceive},
 * {@code groupStatus}, {@code groupChanged}, {@code groupTyping}, {@code groupProblem}, {@code senderKeyProblem}.
 */
final class RpcNotifications implements ParleyListener {

  private final BiConsumer<String, JsonNode> notify;
  /** Sees download progress first, so that saveAttachment waits while a download moves. */
  private final AttachmentSaver downloads;

  RpcNotifications(BiConsumer<String, JsonNode> notify, AttachmentSaver downloads) {
    this.notify = notify;
    this.downloads = downloads;
  }

  private void notify(String method, JsonNode params) {
    notify.accept(method, params);
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
    notify("attachmentProgress", object().put("id", progress.attachmentId()).put("messageId", progress.messageId())
        .put("number", progress.contactNumber()).put("direction", progress.upload() ? "upload" : "download")
        .put("done", progress.done()).put("total", progress.total()));
  }

  @Override
  public void paymentChanged(PaymentRequestEntry payment) {
    notify("payment", PlaceAndPaymentOutput.payment(payment));
  }

  @Override
  public void typing(Typing typing) {
    notify("typing", object().put("number", typing.number()).put("started", typing.started()));
  }

  @Override
  public void presence(Presence presence) {
    notify("presence", object().put("number", presence.number()).put("online", presence.online())
        .put("lastSeen", presence.lastSeen()));
  }

  @Override
  public void identityChanged(IdentityChange change) {
    notify("identityChanged", object().put("number", change.number()).put("changedAt", change.changedAt()));
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
    notify("groupTyping", object().put("group", typing.groupId().value()).put("number", typing.number())
        .put("started", typing.started()));
  }

  @Override
  public void groupProblem(GroupProblem problem) {
    notify("groupProblem", object().put("group", problem.groupId().value()).put("sender", problem.senderNumber())
        .put("reason", problem.reason()));
  }

  @Override
  public void senderKeyProblem(SenderKeyProblem problem) {
    notify("senderKeyProblem", object().put("sender", problem.senderNumber()).put("device", problem.senderDevice())
        .put("timestamp", problem.timestamp()).put("reason", problem.reason()));
  }

  @Override
  public void deviceRevoked(DeviceRevoked revoked) {
    notify("revoked", object()
        .put("reason", revoked.reason() == DeviceRevoked.Reason.UNLINKED ? "unlinked" : "reregistered")
        .put("message", revoked.serverMessage()));
  }

  private static ObjectNode object() {
    return Json.MAPPER.createObjectNode();
  }
}
