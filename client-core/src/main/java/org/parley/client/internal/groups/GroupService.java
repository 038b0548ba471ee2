package org.parley.client.internal.groups;

import com.google.protobuf.ByteString;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.ParleyException;
import org.parley.client.api.SearchResult;
import org.parley.client.api.attachments.OutgoingAttachment;
import org.parley.client.api.groups.GroupEvent;
import org.parley.client.api.groups.GroupHistoryEntry;
import org.parley.client.api.groups.GroupId;
import org.parley.client.api.groups.GroupInfo;
import org.parley.client.api.groups.GroupMessage;
import org.parley.client.api.groups.GroupMessageInfo;
import org.parley.client.api.groups.GroupPermissionException;
import org.parley.client.internal.account.AccountService;
import org.parley.client.internal.account.PhoneNumbers;
import org.parley.client.internal.db.Database;
import org.parley.client.internal.events.Events;
import org.parley.client.internal.linking.OwnDevices;
import org.parley.client.internal.media.GroupMedia;
import org.parley.client.internal.messaging.ContactDirectory;
import org.parley.client.internal.messaging.Contents;
import org.parley.client.internal.messaging.OutboxWorker;
import org.parley.client.internal.net.ApiFailure;
import org.parley.client.internal.proto.AttachmentPointer;
import org.parley.client.internal.proto.Content;
import org.parley.client.internal.proto.DataMessage;
import org.parley.client.internal.proto.GroupChange;
import org.parley.client.internal.proto.GroupDataMessage;
import org.parley.client.internal.proto.GroupMemberState;
import org.parley.client.internal.proto.GroupState;
import org.parley.client.internal.proto.GroupSync;
import org.parley.client.internal.proto.GroupTyping;
import org.parley.client.internal.proto.GroupUpdate;
import org.parley.client.internal.store.AccountTable;
import org.parley.client.internal.store.ChatGroupTable;
import org.parley.client.internal.store.GroupMessageTable;
import org.parley.client.internal.store.OutboxTable;

/** The group methods of {@code ParleyClient}: state changes, sending, history (docs/decisions/0140-groups.md). */
public class GroupService {

  private static final int MAX_TEXT_CHARS = 16_000;
  /** As for a 1:1 message. */
  private static final int MAX_ATTACHMENTS = 32;

  private final Database db;
  private final AccountService accounts;
  private final ContactDirectory directory;
  private final ChatGroupTable groups;
  private final GroupMessageTable messages;
  private final GroupOutbox groupOutbox;
  private final OutboxTable outboxTable;
  private final OutboxWorker outbox;
  private final OwnDevices ownDevices;
  private final Events events;
  private final Clock clock;
  /**
   * The last timestamp given to one of our group messages: receivers tell a sender's messages apart (duplicates,
   * receipts) by their timestamp, so two sent in the same millisecond must not share one. Guarded by itself.
   */
  private final long[] lastSentAt = {-1};
  private final GroupViews views;
  private final GroupMedia media;

  public GroupService(Database db, AccountService accounts, ContactDirectory directory, ChatGroupTable groups,
      GroupMessageTable messages, GroupOutbox groupOutbox, OutboxTable outboxTable, OutboxWorker outbox,
      OwnDevices ownDevices, Events events, Clock clock, GroupMedia media) {
    this.media = media;
    this.db = db;
    this.accounts = accounts;
    this.directory = directory;
    this.groups = groups;
    this.messages = messages;
    this.groupOutbox = groupOutbox;
    this.outboxTable = outboxTable;
    this.outbox = outbox;
    this.ownDevices = ownDevices;
    this.events = events;
    this.clock = clock;
    this.views = new GroupViews(groups, messages, media);
    groupOutbox.onStatusChanged(id -> messages.byId(id).ifPresent(row -> events.fire(
        l -> l.groupStatusChanged(views.message(row)))));
  }

  /** Starts sending the group outbox (on connect). */
  public void start() {
    groupOutbox.start();
    groupOutbox.wake(true);
    // Messages whose uploads the last run did not finish: they continue (from the server's offset).
    for (long id : messages.pendingWithAttachments()) {
      media.uploadThen(id, pointers -> queueUploaded(id, pointers), this::uploadFailed);
    }
  }

  public boolean awaitOutboxEmpty(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (groupOutbox.size() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  public GroupInfo create(String name, List<String> memberNumbers) throws ParleyException {
    AccountTable.Row self = accounts.registered();
    String checkedName = checkName(name);
    Set<String> numbers = checkNumbers(memberNumbers, self);
    if (numbers.size() + 1 > GroupInfo.MAX_MEMBERS) {
      throw new InvalidInputException("A group has at most " + GroupInfo.MAX_MEMBERS + " members, you included");
    }
    Map<String, String> accountByNumber = resolve(numbers);
    GroupId id = GroupId.random();
    GroupState.Builder state = GroupState.newBuilder().setGroupId(ByteString.copyFrom(id.toBytes()))
        .setName(checkedName).setRevision(1)
        .addMembers(GroupMemberState.newBuilder().setNumber(self.number()).setAccountId(self.accountId())
            .setAdmin(true).setAddedBy(self.number()).setAddedAtRevision(1));
    accountByNumber.forEach((number, account) -> state.addMembers(GroupMemberState.newBuilder().setNumber(number)
        .setAccountId(account).setAddedBy(self.number()).setAddedAtRevision(1)));
    GroupState created = GroupStates.canonical(state.build());
    return publish(self, Optional.empty(), created, GroupChange.Kind.CREATED, List.copyOf(numbers),
        Optional.of(checkedName));
  }

  public GroupInfo addMembers(GroupId groupId, List<String> numbers) throws ParleyException {
    AccountTable.Row self = accounts.registered();
    GroupState current = currentState(groupId, self);
    Set<String> wanted = checkNumbers(numbers, self);
    wanted.removeAll(GroupStates.byNumber(current).keySet());
    if (wanted.isEmpty()) {
      return group(groupId);
    }
    if (current.getMembersCount() + wanted.size() > GroupInfo.MAX_MEMBERS) {
      throw new InvalidInputException("A group has at most " + GroupInfo.MAX_MEMBERS + " members");
    }
    Map<String, String> accountByNumber = resolve(wanted);
    long revision = current.getRevision() + 1;
    return change(self, current, GroupChange.Kind.ADDED, List.copyOf(wanted), Optional.empty(), s -> {
      GroupState.Builder next = s.toBuilder();
      accountByNumber.forEach((number, account) -> next.addMembers(GroupMemberState.newBuilder().setNumber(number)
          .setAccountId(account).setAddedBy(self.number()).setAddedAtRevision(revision)));
      return next.build();
    });
  }

  public GroupInfo removeMember(GroupId groupId, String number) throws ParleyException {
    AccountTable.Row self = accounts.registered();
    GroupState current = currentState(groupId, self);
    PhoneNumbers.check(number);
    if (number.equals(self.number())) {
      throw new InvalidInputException("To leave a group, leave it (group leave)");
    }
    requireMember(current, number);
    return change(self, current, GroupChange.Kind.REMOVED, List.of(number), Optional.empty(),
        s -> without(s, number));
  }

  public GroupInfo promote(GroupId groupId, String number) throws ParleyException {
    AccountTable.Row self = accounts.registered();
    GroupState current = currentState(groupId, self);
    PhoneNumbers.check(number);
    GroupMemberState member = requireMember(current, number);
    if (member.getAdmin()) {
      return group(groupId);
    }
    return change(self, current, GroupChange.Kind.PROMOTED, List.of(number), Optional.empty(),
        s -> withAdmin(s, number));
  }

  public GroupInfo leave(GroupId groupId) throws ParleyException {
    AccountTable.Row self = accounts.registered();
    GroupState current = currentState(groupId, self);
    return change(self, current, GroupChange.Kind.LEFT, List.of(), Optional.empty(), s -> {
      GroupState next = without(s, self.number());
      boolean adminLeft = next.getMembersList().stream().anyMatch(GroupMemberState::getAdmin);
      if (adminLeft || next.getMembersCount() == 0) {
        return next;
      }
      // The last admin leaves: the longest-standing member (earliest revision, then number) takes over.
      GroupMemberState heir = next.getMembersList().stream()
          .min(Comparator.comparingLong(GroupMemberState::getAddedAtRevision)
              .thenComparing(GroupMemberState::getNumber)).orElseThrow();
      return withAdmin(next, heir.getNumber());
    });
  }

  public GroupInfo rename(GroupId groupId, String name) throws ParleyException {
    AccountTable.Row self = accounts.registered();
    GroupState current = currentState(groupId, self);
    String checked = checkName(name);
    if (checked.equals(current.getName())) {
      return group(groupId);
    }
    return change(self, current, GroupChange.Kind.RENAMED, List.of(), Optional.of(checked),
        s -> s.toBuilder().setName(checked).build());
  }

  /**
   * Sets (or, with {@code file} null, removes) the group's picture: uploaded once through the attachment pipeline
   * (EXIF and GPS stripped), its pointer carried in the new state like a new name. Checked before the upload.
   */
  public GroupInfo setPicture(GroupId groupId, Path file) throws ParleyException {
    AccountTable.Row self = accounts.registered();
    GroupState current = currentState(groupId, self);
    if (file == null && !current.hasPicture()) {
      return group(groupId);
    }
    // May we? Asked before anything is uploaded (a stand-in pointer; the real one replaces it).
    GroupState probe = current.toBuilder().setRevision(current.getRevision() + 1)
        .setPicture(AttachmentPointer.newBuilder().setContentType("image/jpeg").setId("?")).build();
    Optional<String> refusal = GroupStates.refusal(current, probe, self.number());
    if (refusal.isPresent()) {
      throw new GroupPermissionException(refusal.get());
    }
    if (file == null) {
      return change(self, current, GroupChange.Kind.PICTURE_REMOVED, List.of(), Optional.empty(),
          s -> s.toBuilder().clearPicture().build());
    }
    AttachmentPointer picture = media.uploadPicture(groupId.value(), file, GroupStates.MAX_PICTURE_BYTES);
    GroupState latest = currentState(groupId, self); // a change may have arrived during the upload
    return change(self, latest, GroupChange.Kind.PICTURE_CHANGED, List.of(), Optional.empty(),
        s -> s.toBuilder().setPicture(picture).build());
  }

  public GroupInfo setMembersMayEdit(GroupId groupId, boolean membersMayEdit) throws ParleyException {
    AccountTable.Row self = accounts.registered();
    GroupState current = currentState(groupId, self);
    if (current.getMembersMayEdit() == membersMayEdit) {
      return group(groupId);
    }
    return change(self, current, GroupChange.Kind.POLICY_CHANGED, List.of(), Optional.empty(),
        s -> s.toBuilder().setMembersMayEdit(membersMayEdit).build());
  }

  public List<GroupInfo> groups() throws ParleyException {
    accounts.registered();
    return groups.all().stream().map(views::info).toList();
  }

  /**
   * After a device was linked: the whole state of every group we are in, pairwise to our other devices (as a
   * {@code SYNCED} update), so the new device shows the groups at once rather than at their next change. A device
   * that already has the state ignores it (same revision). Sender keys need nothing here: the new device shares its
   * own with its first message, and members' next sends meet the new device in a 409 and share theirs again.
   * Returns how many groups were queued.
   */
  public int syncToOwnDevices() throws ParleyException {
    AccountTable.Row self = accounts.registered();
    long now = clock.millis();
    int queued = db.inTransaction(c -> {
      int count = 0;
      for (ChatGroupTable.Row row : groups.all()) {
        if (!row.selfMember()) {
          continue;
        }
        GroupChange change = GroupChange.newBuilder().setKind(GroupChange.Kind.SYNCED).setTimestamp(now).build();
        byte[] content = Contents.encode(Content.newBuilder().setSenderNumber(self.number())
            .setGroupUpdate(GroupUpdate.newBuilder().setState(GroupOutbox.parse(row.state())).setChange(change)
                .setAuthorNumber(self.number()))
            .build());
        groups.enqueue(GroupOutbox.PAIRWISE, row.id(), null, List.of(self.accountId()), content, now, false, now);
        count++;
      }
      return count;
    });
    groupOutbox.wake(false);
    return queued;
  }

  /** Group messages of every group containing {@code query} (ignoring case), newest first, with the group's name. */
  public List<SearchResult.InGroup> search(String query, int limit) {
    Map<String, String> names = new HashMap<>();
    List<SearchResult.InGroup> found = new ArrayList<>();
    for (GroupMessageTable.Row row : messages.search(query, limit)) {
      String name = names.computeIfAbsent(row.groupId(),
          id -> groups.byId(id).map(ChatGroupTable.Row::name).orElse(id));
      found.add(new SearchResult.InGroup(views.message(row), name));
    }
    return found;
  }

  public GroupInfo group(GroupId groupId) throws ParleyException {
    return views.info(groupId.value()).orElseThrow(() -> unknown(groupId));
  }

  /**
   * Sends files (and a caption, possibly empty) to a group: the message is stored now, its files are uploaded once
   * in the background and the message enters the group outbox, with the pointers inside, when they are all on the
   * server. Our other devices get the same pointers in the sent-message sync.
   */
  public GroupMessage send(GroupId groupId, String caption, List<OutgoingAttachment> attachments)
      throws ParleyException {
    if (attachments == null || attachments.isEmpty()) {
      return send(groupId, caption);
    }
    AccountTable.Row self = accounts.registered();
    currentState(groupId, self);
    String text = caption == null ? "" : caption;
    if (text.length() > MAX_TEXT_CHARS) {
      throw new InvalidInputException("A group message holds at most " + MAX_TEXT_CHARS + " characters");
    }
    if (attachments.size() > MAX_ATTACHMENTS) {
      throw new InvalidInputException("A message carries at most " + MAX_ATTACHMENTS + " attachments, not "
          + attachments.size());
    }
    GroupMedia.Prepared prepared = media.prepare(text, attachments);
    long now = uniqueSentAt(self.accountId());
    long messageId;
    try {
      messageId = db.inTransaction(c -> {
        long stored = messages.insertOutgoing(groupId.value(), self.number(), self.accountId(), text, now,
            MessageStatus.PENDING, now);
        prepared.store(groupId.value(), stored, now);
        groups.touch(groupId.value(), now);
        return stored;
      });
    } catch (RuntimeException e) {
      prepared.discard();
      throw e;
    }
    media.uploadThen(messageId, pointers -> queueUploaded(messageId, pointers), this::uploadFailed);
    return views.message(messages.byId(messageId).orElseThrow());
  }

  /** Every file of our message is on the server: the message, with their pointers, enters the group outbox. */
  private void queueUploaded(long messageId, List<AttachmentPointer> pointers) {
    Optional<GroupMessageTable.Row> row = messages.byId(messageId).filter(r -> r.status() == MessageStatus.PENDING);
    Optional<AccountTable.Row> self = accounts.current();
    if (row.isEmpty() || self.isEmpty()) {
      return; // deleted or failed meanwhile
    }
    DataMessage data = DataMessage.newBuilder().setText(row.get().body()).setTimestamp(row.get().sentAt())
        .addAllAttachments(pointers).build();
    db.inTransaction(c -> {
      enqueue(self.get(), new GroupId(row.get().groupId()), messageId, data, clock.millis());
      return null;
    });
    groupOutbox.wake(false);
    outbox.wake(false);
  }

  /** Tries the failed or cancelled uploads of our group message again; the message is pending until they end. */
  public void retryUploads(long messageId) {
    if (!media.resetFailedUploads(messageId)) {
      return;
    }
    if (messages.requeue(messageId, clock.millis())) {
      messages.byId(messageId).ifPresent(row -> events.fire(l -> l.groupStatusChanged(views.message(row))));
    }
    media.uploadThen(messageId, pointers -> queueUploaded(messageId, pointers), this::uploadFailed);
  }

  private void uploadFailed(long messageId) {
    if (messages.fail(messageId, clock.millis())) {
      messages.byId(messageId).ifPresent(row -> events.fire(l -> l.groupStatusChanged(views.message(row))));
    }
  }

  /** Queues one sender-key message for the group and, when we have other devices, its sent-message sync. */
  private void enqueue(AccountTable.Row self, GroupId groupId, long messageId, DataMessage data, long now) {
    ByteString id = ByteString.copyFrom(groupId.toBytes());
    byte[] content = Contents.encode(Content.newBuilder().setSenderNumber(self.number())
        .setGroupMessage(GroupDataMessage.newBuilder().setGroupId(id).setData(data)).build());
    groups.enqueue(GroupOutbox.GROUP, groupId.value(), messageId, List.of(), content, data.getTimestamp(), false,
        now);
    if (!ownDevices.syncTargets().isEmpty()) {
      outboxTable.add(self.accountId(), Contents.encode(Content.newBuilder().setSenderNumber(self.number())
          .setGroupSync(GroupSync.newBuilder().setGroupId(id).setSent(data)).build()), now, null, now);
    }
  }

  public GroupMessage send(GroupId groupId, String text) throws ParleyException {
    AccountTable.Row self = accounts.registered();
    currentState(groupId, self);
    if (text == null || text.isBlank()) {
      throw new InvalidInputException("A message needs some text");
    }
    if (text.length() > MAX_TEXT_CHARS) {
      throw new InvalidInputException("A group message holds at most " + MAX_TEXT_CHARS + " characters");
    }
    long now = uniqueSentAt(self.accountId());
    DataMessage data = DataMessage.newBuilder().setText(text).setTimestamp(now).build();
    long messageId = db.inTransaction(c -> {
      long stored = messages.insertOutgoing(groupId.value(), self.number(), self.accountId(), text, now,
          MessageStatus.PENDING, now);
      enqueue(self, groupId, stored, data, now);
      groups.touch(groupId.value(), now);
      return stored;
    });
    groupOutbox.wake(false);
    outbox.wake(false);
    return views.message(messages.byId(messageId).orElseThrow());
  }

  public List<GroupHistoryEntry> history(GroupId groupId, int limit) throws ParleyException {
    if (limit < 1 || limit > 10_000) {
      throw new InvalidInputException("limit must be 1 … 10000");
    }
    group(groupId);
    List<GroupHistoryEntry> entries = new ArrayList<>();
    entries.addAll(views.messages(messages.history(groupId.value(), limit)));
    groups.events(groupId.value(), limit).forEach(row -> entries.add(GroupViews.event(row)));
    entries.sort(Comparator.comparingLong(GroupHistoryEntry::timestamp)
        .thenComparing(e -> e instanceof GroupMessage ? 1 : 0).thenComparingLong(GroupHistoryEntry::id));
    return List.copyOf(entries.subList(Math.max(0, entries.size() - limit), entries.size()));
  }

  public GroupMessageInfo messageInfo(long groupMessageId) throws ParleyException {
    GroupMessageTable.Row row = messages.byId(groupMessageId).filter(GroupMessageTable.Row::outgoing)
        .orElseThrow(() -> new NotFoundException("No outgoing group message " + groupMessageId));
    return views.messageInfo(row, messages.receipts(row.id()));
  }

  public int markRead(GroupId groupId) throws ParleyException {
    AccountTable.Row self = accounts.registered();
    group(groupId);
    long now = clock.millis();
    ByteString id = ByteString.copyFrom(groupId.toBytes());
    List<GroupMessageTable.Row> read = db.inTransaction(c -> {
      List<GroupMessageTable.Row> rows = messages.markRead(groupId.value(), now);
      if (rows.isEmpty()) {
        return rows;
      }
      if (self.readReceipts()) {
        Map<String, List<Long>> bySender = new LinkedHashMap<>();
        rows.forEach(r -> bySender.computeIfAbsent(r.senderAccount(), k -> new ArrayList<>()).add(r.sentAt()));
        bySender.forEach((account, timestamps) -> outboxTable.add(account, GroupReceipts.receipt(self.number(), id,
            true, timestamps), now, null, now));
      }
      if (!ownDevices.syncTargets().isEmpty()) {
        GroupSync.Builder sync = GroupSync.newBuilder().setGroupId(id);
        rows.forEach(r -> sync.addRead(GroupSync.Read.newBuilder().setSenderNumber(r.senderNumber())
            .setTimestamp(r.sentAt())));
        outboxTable.add(self.accountId(), Contents.encode(Content.newBuilder().setSenderNumber(self.number())
            .setGroupSync(sync).build()), now, null, now);
      }
      return rows;
    });
    if (!read.isEmpty()) {
      events.fire(l -> l.groupRead(groupId, read.size()));
      outbox.wake(false);
    }
    return read.size();
  }

  public void sendTyping(GroupId groupId, boolean started) throws ParleyException {
    AccountTable.Row self = accounts.registered();
    currentState(groupId, self);
    long now = clock.millis();
    byte[] content = Contents.encode(Content.newBuilder().setSenderNumber(self.number())
        .setGroupTyping(GroupTyping.newBuilder().setGroupId(ByteString.copyFrom(groupId.toBytes()))
            .setStarted(started).setTimestamp(now)).build());
    try {
      groupOutbox.sendEphemeral(groups.byId(groupId.value()).orElseThrow(), content);
    } catch (ApiFailure failure) {
      throw failure.toParley("Sending a typing indicator to group " + groupId);
    }
  }

  // ---- changes ----

  private GroupInfo change(AccountTable.Row self, GroupState current, GroupChange.Kind kind, List<String> targets,
      Optional<String> newName, UnaryOperator<GroupState> edit) throws ParleyException {
    GroupState next = GroupStates.canonical(edit.apply(current).toBuilder()
        .setRevision(current.getRevision() + 1).build());
    Optional<String> refusal = GroupStates.refusal(current, next, self.number());
    if (refusal.isPresent()) {
      throw new GroupPermissionException(refusal.get());
    }
    return publish(self, Optional.of(current), next, kind, targets, newName);
  }

  /** Applies our change here, then queues it for the members before and after it and for our other devices. */
  private GroupInfo publish(AccountTable.Row self, Optional<GroupState> before, GroupState next,
      GroupChange.Kind kind, List<String> targets, Optional<String> newName) {
    long now = clock.millis();
    GroupId id = GroupId.fromBytes(next.getGroupId().toByteArray());
    GroupChange change = GroupChange.newBuilder().setKind(kind).addAllTargets(targets).setTimestamp(now).build();
    GroupEvent event = db.inTransaction(c -> GroupUpdates.publish(groups, self, before, next, change,
        !ownDevices.syncTargets().isEmpty(), now));
    groupOutbox.wake(false);
    GroupInfo info = views.info(id.value()).orElseThrow();
    events.fire(l -> l.groupChanged(info, event));
    return info;
  }

  private GroupState currentState(GroupId groupId, AccountTable.Row self) throws ParleyException {
    ChatGroupTable.Row row = groups.byId(groupId.value()).orElseThrow(() -> unknown(groupId));
    if (!row.selfMember()) {
      throw new GroupPermissionException("You are no longer a member of group " + groupId);
    }
    return GroupOutbox.parse(row.state());
  }

  private static GroupMemberState requireMember(GroupState state, String number) throws NotFoundException {
    return GroupStates.member(state, number)
        .orElseThrow(() -> new NotFoundException(number + " is not a member of the group"));
  }

  private static GroupState without(GroupState state, String number) {
    GroupState.Builder next = state.toBuilder().clearMembers();
    state.getMembersList().stream().filter(m -> !m.getNumber().equals(number)).forEach(next::addMembers);
    return next.build();
  }

  private static GroupState withAdmin(GroupState state, String number) {
    GroupState.Builder next = state.toBuilder().clearMembers();
    state.getMembersList().forEach(m -> next.addMembers(m.getNumber().equals(number) ? m.toBuilder().setAdmin(true)
        .build() : m));
    return next.build();
  }

  private Map<String, String> resolve(Set<String> numbers) throws ParleyException {
    Map<String, String> accountByNumber = new LinkedHashMap<>();
    for (String number : numbers) {
      accountByNumber.put(number, directory.accountOf(number));
    }
    return accountByNumber;
  }

  private static Set<String> checkNumbers(List<String> numbers, AccountTable.Row self) throws InvalidInputException {
    Set<String> checked = new LinkedHashSet<>();
    for (String number : numbers) {
      PhoneNumbers.check(number);
      if (!number.equals(self.number())) {
        checked.add(number);
      }
    }
    return checked;
  }

  private static String checkName(String name) throws InvalidInputException {
    String stripped = name == null ? "" : name.strip();
    if (stripped.isEmpty() || stripped.length() > GroupInfo.MAX_NAME_LENGTH) {
      throw new InvalidInputException("A group's name has 1 to " + GroupInfo.MAX_NAME_LENGTH + " characters");
    }
    return stripped;
  }

  private static NotFoundException unknown(GroupId groupId) {
    return new NotFoundException("No group " + groupId + " on this device");
  }

  /** Now, or one past the last group message we sent (read from the database once) if that is not earlier. */
  private long uniqueSentAt(String ownAccount) {
    synchronized (lastSentAt) {
      if (lastSentAt[0] < 0) {
        lastSentAt[0] = messages.lastSentAt(ownAccount);
      }
      lastSentAt[0] = Math.max(clock.millis(), lastSentAt[0] + 1);
      return lastSentAt[0];
    }
  }
}
