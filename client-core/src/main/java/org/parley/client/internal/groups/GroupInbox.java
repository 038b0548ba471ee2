package org.parley.client.internal.groups;

import com.google.protobuf.ByteString;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.groups.GroupEvent;
import org.parley.client.api.groups.GroupId;
import org.parley.client.api.groups.GroupInfo;
import org.parley.client.api.groups.GroupMessageInfo;
import org.parley.client.api.groups.GroupProblem;
import org.parley.client.api.groups.GroupTyping;
import org.parley.client.api.groups.SenderKeyProblem;
import org.parley.client.internal.account.AccountService;
import org.parley.client.internal.events.Events;
import org.parley.client.internal.linking.OwnDevices;
import org.parley.client.internal.media.GroupMedia;
import org.parley.client.internal.messaging.AfterCommit;
import org.parley.client.internal.messaging.Contents;
import org.parley.client.internal.messaging.IncomingContent;
import org.parley.client.internal.messaging.OutboxWorker;
import org.parley.client.internal.proto.Content;
import org.parley.client.internal.proto.GroupChange;
import org.parley.client.internal.proto.GroupDataMessage;
import org.parley.client.internal.proto.GroupMemberState;
import org.parley.client.internal.proto.GroupReceipt;
import org.parley.client.internal.proto.GroupState;
import org.parley.client.internal.proto.GroupSync;
import org.parley.client.internal.proto.GroupUpdate;
import org.parley.client.internal.proto.ReceiptMessage;
import org.parley.client.internal.proto.SenderKeyDistribution;
import org.parley.client.internal.proto.SenderKeyRequest;
import org.parley.client.internal.store.AccountTable;
import org.parley.client.internal.store.ChatGroupTable;
import org.parley.client.internal.store.GroupMessageTable;
import org.parley.client.internal.store.OutboxTable;
import org.parley.client.internal.store.ProtocolStore;
import org.parley.protocol.Envelope;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.groups.GroupSessionBuilder;
import org.signal.libsignal.protocol.message.SenderKeyDistributionMessage;
import org.signal.libsignal.protocol.message.SenderKeyMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receiving for groups: one method per kind of group content (each a {@code ContentHandler}, registered by the
 * composition root), run inside the inbox's transaction. Anything refused is reported as a {@link GroupProblem} and
 * not applied; an undecryptable sender-key message becomes a {@link SenderKeyProblem} and a request for the key.
 */
public final class GroupInbox {

  private static final Logger log = LoggerFactory.getLogger(GroupInbox.class);

  private final ChatGroupTable groups;
  private final GroupMessageTable messages;
  private final ProtocolStore protocol;
  private final OutboxTable outboxTable;
  private final OutboxWorker outbox;
  private final AccountService accounts;
  private final Events events;
  private final Clock clock;
  private final GroupViews views;
  private final GroupOutbox groupOutbox;
  private final OwnDevices ownDevices;
  private final GroupMedia media;

  public GroupInbox(ChatGroupTable groups, GroupMessageTable messages, ProtocolStore protocol, OutboxTable outboxTable,
      OutboxWorker outbox, GroupOutbox groupOutbox, OwnDevices ownDevices, AccountService accounts, Events events,
      Clock clock, GroupMedia media) {
    this.media = media;
    this.groupOutbox = groupOutbox;
    this.ownDevices = ownDevices;
    this.groups = groups;
    this.messages = messages;
    this.protocol = protocol;
    this.outboxTable = outboxTable;
    this.outbox = outbox;
    this.accounts = accounts;
    this.events = events;
    this.clock = clock;
    this.views = new GroupViews(groups, messages, media);
  }

  private AccountTable.Row self() {
    return accounts.current().orElseThrow(() -> new IllegalStateException("no account"));
  }

  /** {@code Content.group_update}: a member's change, or ours from another of our devices. */
  public void update(IncomingContent content, AfterCommit afterCommit) {
    GroupUpdate update = content.content().getGroupUpdate();
    GroupState incoming = GroupStates.canonical(update.getState());
    GroupId id = GroupId.fromBytes(incoming.getGroupId().toByteArray());
    String sender = content.content().getSenderNumber();
    String author = content.fromOwnAccount() ? update.getAuthorNumber() : sender;
    if (update.getChange().getKind() == GroupChange.Kind.SYNCED && !content.fromOwnAccount()) {
      // A sync copies our own state to our own new device; from anyone else it is no change they may make.
      problem(afterCommit, id, sender, "a group sync from another account");
      return;
    }
    String selfNumber = self().number();
    Optional<ChatGroupTable.Row> current = groups.byId(id.value());
    if (current.isPresent()) {
      GroupState known = GroupOutbox.parse(current.get().state());
      if (!GroupStates.supersedes(incoming, known)) {
        log.debug("group {}: revision {} does not supersede {}", id, incoming.getRevision(), known.getRevision());
        return;
      }
      if (!content.fromOwnAccount()) {
        Optional<String> refusal = GroupStates.refusal(known, incoming, author)
            .or(() -> accountMismatch(known, author, content.sourceAccount()));
        if (refusal.isPresent()) {
          problem(afterCommit, id, sender, refusal.get());
          return;
        }
      }
    } else if (!content.fromOwnAccount()) {
      Optional<GroupMemberState> who = GroupStates.member(incoming, author);
      if (GroupStates.member(incoming, selfNumber).isEmpty()) {
        problem(afterCommit, id, sender, "a change to a group we are not in");
        return;
      }
      if (who.isEmpty() || !who.get().getAccountId().equals(content.sourceAccount())
          || !(who.get().getAdmin() || incoming.getMembersMayEdit())) {
        problem(afterCommit, id, sender, author + " may not add us to this group");
        return;
      }
    }
    // Did a change of ours just lose a tie (same revision)? Then we make it again on top of the winner.
    Optional<ChatGroupTable.EventRow> lostChange = current.filter(row -> row.revision() == incoming.getRevision())
        .flatMap(row -> groups.latestEvent(id.value()))
        .filter(e -> e.revision() == incoming.getRevision() && e.actor().equals(selfNumber));
    Optional<GroupState> lostState = current.map(row -> GroupOutbox.parse(row.state()));
    long now = clock.millis();
    GroupEvent event = GroupUpdates.apply(groups, id, incoming, update.getChange(), author, selfNumber, now);
    if (incoming.hasPicture() && GroupStates.member(incoming, selfNumber).isPresent()) {
      media.pictureArrived(id.value(), incoming.getPicture(), afterCommit);
    }
    List<GroupEvent> applied = new ArrayList<>(List.of(event));
    if (lostChange.isPresent() && GroupStates.member(incoming, selfNumber).isPresent()) {
      Optional<GroupState> redone = GroupUpdates.redo(lostChange.get(), lostState.orElseThrow(), incoming)
          .filter(next -> GroupStates.refusal(incoming, next, selfNumber).isEmpty());
      if (redone.isPresent()) {
        GroupChange change = GroupChange.newBuilder().setKind(GroupChange.Kind.valueOf(lostChange.get().kind()))
            .addAllTargets(lostChange.get().targets()).setTimestamp(now).build();
        applied.add(GroupUpdates.publish(groups, self(), Optional.of(incoming), redone.get(), change,
            !ownDevices.syncTargets().isEmpty(), now));
      }
    }
    afterCommit.then(() -> {
      GroupInfo info = views.info(id.value()).orElseThrow();
      applied.forEach(e -> events.fire(l -> l.groupChanged(info, e)));
      groupOutbox.wake(false);
    });
  }

  /** {@code Content.group_message}: a member's message (decrypted with their sender key). */
  public void message(IncomingContent content, AfterCommit afterCommit) {
    GroupDataMessage message = content.content().getGroupMessage();
    GroupId id = GroupId.fromBytes(message.getGroupId().toByteArray());
    String sender = content.content().getSenderNumber();
    Optional<GroupState> state = memberState(content, id, afterCommit);
    if (state.isEmpty()) {
      return;
    }
    long now = clock.millis();
    long sentAt = message.getData().getTimestamp();
    Optional<Long> stored = messages.insertIncoming(id.value(), sender, content.sourceAccount(),
        message.getData().getText(), sentAt, now);
    if (stored.isEmpty()) {
      return;
    }
    media.messageArrived(id.value(), stored.get(), false, message.getData().getAttachmentsList(), afterCommit);
    groups.touch(id.value(), now);
    outboxTable.add(content.sourceAccount(), GroupReceipts.receipt(self().number(), message.getGroupId(), false,
        List.of(sentAt)), now, null, now);
    afterCommit.then(() -> {
      messages.byId(stored.get()).ifPresent(row -> events.fire(l -> l.groupMessageReceived(views.message(row))));
      outbox.wake(false);
    });
  }

  /** {@code Content.sender_key}: a member's sender key for the group. */
  public void senderKey(IncomingContent content, AfterCommit afterCommit) throws Exception {
    SenderKeyDistribution distribution = content.content().getSenderKey();
    GroupId id = GroupId.fromBytes(distribution.getGroupId().toByteArray());
    if (memberState(content, id, afterCommit).isEmpty()) {
      return;
    }
    new GroupSessionBuilder(protocol).process(
        new SignalProtocolAddress(content.sourceAccount(), content.sourceDevice()),
        new SenderKeyDistributionMessage(distribution.getDistributionMessage().toByteArray()));
  }

  /** {@code Content.sender_key_request}: a member could not decrypt ours; they get our key with the next send. */
  public void senderKeyRequest(IncomingContent content, AfterCommit afterCommit) {
    SenderKeyRequest request = content.content().getSenderKeyRequest();
    if (request.getDistributionId().size() != 16) {
      log.warn("a sender key request from {} without a distribution id", content.sourceAccount());
      return;
    }
    ByteBuffer bytes = request.getDistributionId().asReadOnlyByteBuffer();
    UUID distributionId = new UUID(bytes.getLong(), bytes.getLong());
    Optional<ChatGroupTable.Row> group = groups.byDistributionId(distributionId);
    if (group.isEmpty()) {
      log.info("sender key request from {} for a key we no longer use", content.sourceAccount());
      return;
    }
    GroupState state = GroupOutbox.parse(group.get().state());
    boolean member = state.getMembersList().stream().anyMatch(m -> m.getAccountId().equals(content.sourceAccount()));
    if (member) {
      groups.keyLost(group.get().id(), content.sourceAccount());
    }
  }

  /** {@code Content.group_receipt}: a member has (or read) our messages. */
  public void receipt(IncomingContent content, AfterCommit afterCommit) {
    GroupReceipt receipt = content.content().getGroupReceipt();
    GroupId id = GroupId.fromBytes(receipt.getGroupId().toByteArray());
    boolean read = receipt.getType() == ReceiptMessage.Type.READ;
    long now = clock.millis();
    String own = self().accountId();
    for (long timestamp : receipt.getTimestampsList()) {
      Optional<GroupMessageTable.Row> message = messages.outgoing(id.value(), own, timestamp);
      if (message.isEmpty() || !messages.receipt(message.get().id(), content.sourceAccount(), read, now)) {
        continue;
      }
      long changedId = message.get().id();
      afterCommit.then(() -> messages.byId(changedId).ifPresent(row -> {
        GroupMessageInfo info = views.messageInfo(row, messages.receipts(changedId));
        events.fire(l -> l.groupMessageInfoChanged(info));
      }));
      List<GroupMessageTable.ReceiptRow> all = messages.receipts(message.get().id());
      MessageStatus status = all.stream().allMatch(r -> r.readAt() != null) ? MessageStatus.READ
          : all.stream().allMatch(r -> r.deliveredAt() != null || r.readAt() != null) ? MessageStatus.DELIVERED
          : MessageStatus.SENT;
      if (messages.advance(message.get().id(), status, now)) {
        long messageId = message.get().id();
        afterCommit.then(() -> messages.byId(messageId).ifPresent(
            row -> events.fire(l -> l.groupStatusChanged(views.message(row)))));
      }
    }
  }

  /** {@code Content.group_typing}. */
  public void typing(IncomingContent content, AfterCommit afterCommit) {
    var typing = content.content().getGroupTyping();
    GroupId id = GroupId.fromBytes(typing.getGroupId().toByteArray());
    if (memberState(content, id, afterCommit).isEmpty()) {
      return;
    }
    String sender = content.content().getSenderNumber();
    afterCommit.then(() -> events.fire(l -> l.groupTyping(new GroupTyping(id, sender,
        typing.getStarted(), typing.getTimestamp()))));
  }

  /** {@code Content.group_sync}, from our own other devices only: what we sent or read there. */
  public void sync(IncomingContent content, AfterCommit afterCommit) {
    if (!content.fromOwnAccount()) {
      problem(afterCommit, GroupId.fromBytes(content.content().getGroupSync().getGroupId().toByteArray()),
          content.content().getSenderNumber(), "a group sync message from another account");
      return;
    }
    GroupSync sync = content.content().getGroupSync();
    GroupId id = GroupId.fromBytes(sync.getGroupId().toByteArray());
    Optional<ChatGroupTable.Row> group = groups.byId(id.value());
    if (group.isEmpty()) {
      log.warn("group sync for unknown group {}", id);
      return;
    }
    AccountTable.Row self = self();
    long now = clock.millis();
    if (sync.hasSent()) {
      long sentAt = sync.getSent().getTimestamp();
      if (messages.outgoing(id.value(), self.accountId(), sentAt).isEmpty()) {
        long messageId = messages.insertOutgoing(id.value(), self.number(), self.accountId(),
            sync.getSent().getText(), sentAt, MessageStatus.SENT, now);
        messages.expectReceipts(messageId, GroupOutbox.recipients(GroupOutbox.parse(group.get().state()), self));
        media.messageArrived(id.value(), messageId, true, sync.getSent().getAttachmentsList(), afterCommit);
        groups.touch(id.value(), now);
        afterCommit.then(() -> messages.byId(messageId).ifPresent(
            row -> events.fire(l -> l.groupMessageReceived(views.message(row)))));
      }
    }
    Map<String, GroupMemberState> members = GroupStates.byNumber(GroupOutbox.parse(group.get().state()));
    int read = 0;
    for (GroupSync.Read entry : sync.getReadList()) {
      GroupMemberState sender = members.get(entry.getSenderNumber());
      if (sender == null) {
        continue;
      }
      Optional<GroupMessageTable.Row> message = messages.incoming(id.value(), sender.getAccountId(),
          entry.getTimestamp());
      if (message.isPresent() && messages.advance(message.get().id(), MessageStatus.READ, now)) {
        read++;
      }
    }
    if (read > 0) {
      int count = read;
      afterCommit.then(() -> events.fire(l -> l.groupRead(id, count)));
    }
  }

  /**
   * The inbox could not decrypt a sender-key envelope: ask its device for the key (pairwise, through the outbox) and
   * report it. Runs in the inbox's transaction after the failed attempt was rolled back.
   */
  public void undecryptable(Envelope envelope, Throwable cause, AfterCommit afterCommit) {
    long now = clock.millis();
    String reason;
    try {
      SenderKeyMessage message = new SenderKeyMessage(envelope.getContent().toByteArray());
      UUID distributionId = message.getDistributionId();
      ByteBuffer bytes = ByteBuffer.allocate(16).putLong(distributionId.getMostSignificantBits())
          .putLong(distributionId.getLeastSignificantBits());
      outboxTable.add(envelope.getSourceAccount(), Contents.encode(Content.newBuilder()
          .setSenderNumber(self().number()).setSenderKeyRequest(SenderKeyRequest.newBuilder()
              .setDistributionId(ByteString.copyFrom(bytes.array())).setTimestamp(envelope.getClientTimestamp()))
          .build()), now, null, now);
      reason = "no usable sender key from this device (" + cause.getClass().getSimpleName() + "); asked for it again";
    } catch (Exception e) {
      reason = "not a sender-key message (" + e.getMessage() + ")";
    }
    SenderKeyProblem problem = new SenderKeyProblem(Optional.empty(), envelope.getSourceNumber(),
        envelope.getSourceDevice(), envelope.getClientTimestamp(), reason);
    log.warn("group message from {}.{} not decrypted: {}", envelope.getSourceAccount(), envelope.getSourceDevice(),
        reason);
    afterCommit.then(() -> {
      events.fire(l -> l.senderKeyProblem(problem));
      outbox.wake(false);
    });
  }

  /** The group's state when we know it and the sender is a member (by account and number); else reports why not. */
  private Optional<GroupState> memberState(IncomingContent content, GroupId id, AfterCommit afterCommit) {
    String sender = content.content().getSenderNumber();
    Optional<ChatGroupTable.Row> group = groups.byId(id.value());
    if (group.isEmpty()) {
      problem(afterCommit, id, sender, "unknown group " + id);
      return Optional.empty();
    }
    GroupState state = GroupOutbox.parse(group.get().state());
    Optional<String> notMember = accountMismatch(state, sender, content.sourceAccount());
    if (notMember.isPresent()) {
      problem(afterCommit, id, sender, notMember.get());
      return Optional.empty();
    }
    return Optional.of(state);
  }

  private static Optional<String> accountMismatch(GroupState state, String number, String accountId) {
    Optional<GroupMemberState> member = GroupStates.member(state, number);
    if (member.isEmpty()) {
      return Optional.of(number + " is not a member of the group");
    }
    if (!member.get().getAccountId().equals(accountId)) {
      return Optional.of(number + " sent from an account that is not the member's");
    }
    return Optional.empty();
  }

  private void problem(AfterCommit afterCommit, GroupId id, String sender, String reason) {
    log.warn("group {}: refused content from {}: {}", id, sender, reason);
    GroupProblem problem = new GroupProblem(id, sender, reason);
    afterCommit.then(() -> events.fire(l -> l.groupProblem(problem)));
  }
}
