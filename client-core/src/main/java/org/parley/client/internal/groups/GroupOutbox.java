package org.parley.client.internal.groups;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.random.RandomGenerator;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.NetworkException;
import org.parley.client.api.groups.GroupId;
import org.parley.client.internal.account.AccountService;
import org.parley.client.internal.db.Database;
import org.parley.client.internal.linking.OwnDevices;
import org.parley.client.internal.messaging.Contents;
import org.parley.client.internal.messaging.Sender;
import org.parley.client.internal.messaging.SessionCrypto;
import org.parley.client.internal.net.ApiFailure;
import org.parley.client.internal.net.Backoff;
import org.parley.client.internal.net.RestClient;
import org.parley.client.internal.proto.Content;
import org.parley.client.internal.proto.GroupMemberState;
import org.parley.client.internal.proto.GroupState;
import org.parley.client.internal.proto.SenderKeyDistribution;
import org.parley.client.internal.store.AccountTable;
import org.parley.client.internal.store.ChatGroupTable;
import org.parley.client.internal.store.GroupMessageTable;
import org.parley.client.internal.store.ProtocolStore;
import org.parley.protocol.DeviceMismatch;
import org.parley.protocol.MultiRecipientMessageRequest;
import org.parley.protocol.MultiRecipientMessageResponse;
import org.parley.protocol.MultiRecipientMismatch;
import org.parley.protocol.RecipientSetRequest;
import org.parley.protocol.RecipientSetResponse;
import org.parley.protocol.Route;
import org.signal.libsignal.protocol.SessionCipher;
import org.signal.libsignal.protocol.SignalProtocolAddress;
import org.signal.libsignal.protocol.groups.GroupCipher;
import org.signal.libsignal.protocol.groups.GroupSessionBuilder;
import org.signal.libsignal.protocol.message.SenderKeyDistributionMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the group outbox on its own thread, strictly in order, so a state update reaches a new member before the
 * first message they are meant to read. PAIRWISE rows go over each listed account's sessions (state updates, sync
 * copies); GROUP rows hand our sender key to members who lack it (pairwise, before the message), encrypt once with
 * it and upload once to {@code PUT /v1/multi-recipient-messages}, naming the recipient devices by the id of a
 * recipient set registered once ({@code PUT /v1/recipient-sets}), so the upload does not grow with the group.
 */
public final class GroupOutbox implements AutoCloseable {

  static final String PAIRWISE = "PAIRWISE";
  static final String GROUP = "GROUP";

  /** Told after a message changed status. */
  interface StatusListener {
    void statusChanged(long messageId);
  }

  private static final Logger log = LoggerFactory.getLogger(GroupOutbox.class);
  private static final int MAX_MISMATCH_RETRIES = 3;
  private static final int MAX_FAILURES = 12;
  private static final int MAX_CACHED_RECIPIENT_LISTS = 64;

  private final Database db;
  private final ChatGroupTable groups;
  private final GroupMessageTable messages;
  private final ProtocolStore protocol;
  private final SessionCrypto crypto;
  private final Sender sender;
  private final RestClient rest;
  private final AccountService accounts;
  private final OwnDevices ownDevices;
  private final Clock clock;
  private final Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofMinutes(5));
  private final RandomGenerator random = RandomGenerator.getDefault();
  private final Object lock = new Object();
  private StatusListener listener = id -> {};
  /**
   * The id of the registered recipient set for each set of accounts; cleared when the server reports a mismatch,
   * one entry dropped when the server no longer knows it.
   */
  private final Map<Set<String>, ByteString> recipientCache = new HashMap<>();
  private Thread thread;
  private volatile boolean running;
  private boolean poked;

  public GroupOutbox(Database db, ChatGroupTable groups, GroupMessageTable messages, ProtocolStore protocol,
      SessionCrypto crypto, Sender sender, RestClient rest, AccountService accounts, OwnDevices ownDevices,
      Clock clock) {
    this.db = db;
    this.groups = groups;
    this.messages = messages;
    this.protocol = protocol;
    this.crypto = crypto;
    this.sender = sender;
    this.rest = rest;
    this.accounts = accounts;
    this.ownDevices = ownDevices;
    this.clock = clock;
  }

  void onStatusChanged(StatusListener statusListener) {
    this.listener = statusListener;
  }

  /** Starts the thread (on connect); idempotent. */
  public synchronized void start() {
    if (thread != null) {
      return;
    }
    running = true;
    thread = new Thread(this::loop, "parley-group-outbox");
    thread.setDaemon(true);
    thread.start();
  }

  /** Something was queued, or the network came back. */
  public void wake(boolean retryNow) {
    if (retryNow) {
      groups.wakeAll(clock.millis());
    }
    synchronized (lock) {
      poked = true;
      lock.notifyAll();
    }
  }

  public int size() {
    return groups.outboxSize();
  }

  private void loop() {
    while (running) {
      try {
        synchronized (lock) {
          poked = false;
        }
        Optional<ChatGroupTable.OutboxRow> row = groups.nextDue(clock.millis());
        if (row.isEmpty()) {
          waitForWork();
          continue;
        }
        attempt(row.get());
      } catch (RuntimeException e) {
        log.warn("group outbox error", e);
        sleep(1000);
      }
    }
  }

  private void waitForWork() {
    synchronized (lock) {
      if (poked || !running) {
        return;
      }
      long wait = groups.earliestDue().map(due -> Math.max(1, due - clock.millis())).orElse(60_000L);
      try {
        lock.wait(Math.min(wait, 60_000L));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        running = false;
      }
    }
  }

  private void attempt(ChatGroupTable.OutboxRow row) {
    try {
      if (row.kind().equals(PAIRWISE)) {
        sendPairwise(row);
      } else {
        sendToGroup(row);
      }
    } catch (NetworkException | ApiFailure e) {
      boolean permanent = e instanceof ApiFailure failure && !failure.transientFailure() && failure.status() != 409
          && failure.status() != 401;
      if (permanent || row.attempts() + 1 >= MAX_FAILURES) {
        giveUp(row, e.getMessage());
      } else {
        groups.retryLater(row.id(), clock.millis() + backoff.delay(row.attempts(), random).toMillis(),
            String.valueOf(e.getMessage()));
      }
    } catch (RuntimeException e) {
      log.warn("group outbox row {} failed locally", row.id(), e);
      if (row.attempts() + 1 >= MAX_FAILURES) {
        giveUp(row, e.toString());
      } else {
        groups.retryLater(row.id(), clock.millis() + backoff.delay(row.attempts(), random).toMillis(), e.toString());
      }
    }
  }

  private void giveUp(ChatGroupTable.OutboxRow row, String reason) {
    log.warn("giving up on group outbox row {}: {}", row.id(), reason);
    boolean failed = db.inTransaction(c -> {
      groups.delete(row.id());
      return row.messageId() != null && messages.fail(row.messageId(), clock.millis());
    });
    if (failed) {
      listener.statusChanged(row.messageId());
    }
  }

  /** A state update or sync copy: to each account still listed, removing each as it succeeds. */
  private void sendPairwise(ChatGroupTable.OutboxRow row) throws ApiFailure, NetworkException {
    List<String> remaining = new ArrayList<>(row.recipients());
    while (!remaining.isEmpty()) {
      String account = remaining.get(0);
      try {
        sender.send(account, row.content(), row.sentAt(), row.ephemeral(), ownDevices::forSending);
      } catch (ApiFailure failure) {
        if (failure.status() != 404) {
          throw failure;
        }
        log.info("group update: account {} no longer exists; skipped", account);
      }
      remaining.remove(0);
      groups.remaining(row.id(), remaining);
    }
    groups.delete(row.id());
  }

  private void sendToGroup(ChatGroupTable.OutboxRow row) throws ApiFailure, NetworkException {
    AccountTable.Row self = accounts.current().filter(AccountTable.Row::registered)
        .orElseThrow(() -> new IllegalStateException("sending before this device is registered"));
    Optional<ChatGroupTable.Row> group = groups.byId(row.groupId());
    if (group.isEmpty() || !group.get().selfMember()) {
      giveUp(row, "no longer a member of group " + row.groupId());
      return;
    }
    GroupState state = parse(group.get().state());
    Map<String, String> numberByAccount = recipients(state, self);
    if (!numberByAccount.isEmpty()) {
      multiRecipientSend(row.groupId(), group.get(), self, numberByAccount.keySet(), row.content(), row.sentAt(),
          row.ephemeral());
    }
    boolean moved = db.inTransaction(c -> {
      groups.delete(row.id());
      if (row.messageId() == null) {
        return false;
      }
      messages.expectReceipts(row.messageId(), numberByAccount);
      return messages.advance(row.messageId(), numberByAccount.isEmpty() ? MessageStatus.READ : MessageStatus.SENT,
          clock.millis());
    });
    if (moved) {
      listener.statusChanged(row.messageId());
    }
  }

  /** Members but us, account id → number. */
  static Map<String, String> recipients(GroupState state, AccountTable.Row self) {
    Map<String, String> result = new LinkedHashMap<>();
    for (GroupMemberState member : state.getMembersList()) {
      if (!member.getAccountId().equals(self.accountId())) {
        result.put(member.getAccountId(), member.getNumber());
      }
    }
    return result;
  }

  /**
   * Typing: encrypted with our sender key to the members who hold it, ephemeral; members without it are skipped
   * rather than sent a key for something that is gone in seconds.
   */
  void sendEphemeral(ChatGroupTable.Row group, byte[] content) throws ApiFailure, NetworkException {
    AccountTable.Row self = accounts.current().filter(AccountTable.Row::registered)
        .orElseThrow(() -> new IllegalStateException("sending before this device is registered"));
    if (group.distributionId().isEmpty()) {
      return;
    }
    Set<String> holders = groups.keyHolders(group.id(), group.distributionId().get());
    if (holders.isEmpty()) {
      return;
    }
    byte[] ciphertext = encrypt(self, group.distributionId().get(), content);
    upload(self, holders, ciphertext, clock.millis(), true);
  }

  private void multiRecipientSend(String groupId, ChatGroupTable.Row group, AccountTable.Row self,
      Set<String> accountIds, byte[] content, long timestamp, boolean ephemeral) throws ApiFailure, NetworkException {
    UUID distributionId = group.distributionId().orElseGet(() -> {
      UUID fresh = UUID.randomUUID();
      groups.setDistributionId(groupId, fresh);
      return fresh;
    });
    for (int attempt = 0; ; attempt++) {
      shareKey(groupId, self, distributionId, accountIds);
      byte[] ciphertext = encrypt(self, distributionId, content);
      try {
        upload(self, accountIds, ciphertext, timestamp, ephemeral);
        return;
      } catch (ApiFailure failure) {
        if (failure.status() != 409 || attempt >= MAX_MISMATCH_RETRIES) {
          throw failure;
        }
        fixDevices(groupId, failure);
      }
    }
  }

  /** Sends our sender key, pairwise, to every member account that does not hold it yet. */
  private void shareKey(String groupId, AccountTable.Row self, UUID distributionId, Set<String> accountIds)
      throws ApiFailure, NetworkException {
    Set<String> holders = groups.keyHolders(groupId, distributionId);
    SenderKeyDistributionMessage distribution = null;
    for (String account : accountIds) {
      if (holders.contains(account)) {
        continue;
      }
      if (distribution == null) {
        SignalProtocolAddress us = new SignalProtocolAddress(self.accountId(), self.deviceId());
        distribution = db.inTransaction(c -> new GroupSessionBuilder(protocol).create(us, distributionId));
      }
      Content keyContent = Content.newBuilder().setSenderNumber(self.number())
          .setSenderKey(SenderKeyDistribution.newBuilder()
              .setGroupId(ByteString.copyFrom(new GroupId(groupId).toBytes()))
              .setDistributionMessage(ByteString.copyFrom(distribution.serialize())))
          .build();
      sender.send(account, Contents.encode(keyContent), clock.millis(), false, ownDevices::forSending);
      groups.keyShared(groupId, account, distributionId);
    }
  }

  private byte[] encrypt(AccountTable.Row self, UUID distributionId, byte[] content) {
    SignalProtocolAddress us = new SignalProtocolAddress(self.accountId(), self.deviceId());
    return db.inTransaction(c -> new GroupCipher(protocol, us).encrypt(distributionId, content).serialize());
  }

  /**
   * One request naming the recipients by their registered set. A 409 (devices changed) goes to the caller, which
   * fixes the sessions; a 410 (the server no longer holds the set: idle, evicted, restarted) registers it again; a
   * second 410 (registration and send reached different servers of a cluster) lists the devices in the request.
   */
  private void upload(AccountTable.Row self, Set<String> accountIds, byte[] ciphertext, long timestamp,
      boolean ephemeral) throws ApiFailure, NetworkException {
    ByteString content = ByteString.copyFrom(ciphertext);
    for (int attempt = 0; ; attempt++) {
      MultiRecipientMessageRequest.Builder request = MultiRecipientMessageRequest.newBuilder().setContent(content)
          .setTimestamp(timestamp).setEphemeral(ephemeral);
      ByteString set = attempt < 2 ? recipientSet(accountIds) : null;
      if (set != null) {
        request.setRecipientSet(set);
      } else {
        request.addAllRecipients(recipientDevices(accountIds));
      }
      try {
        rest.call(Route.SEND_MULTI_RECIPIENT, request.build(), MultiRecipientMessageResponse.getDefaultInstance(),
            true);
        return;
      } catch (ApiFailure failure) {
        if (failure.status() != 410 || set == null) {
          throw failure;
        }
        synchronized (recipientCache) {
          recipientCache.remove(accountIds);
        }
      }
    }
  }

  /**
   * The registered set of these accounts' devices, registered now unless known; null when the server holds as many
   * sets as it may (then this message lists the devices, as before sets existed, rather than wait).
   */
  private ByteString recipientSet(Set<String> accountIds) throws ApiFailure, NetworkException {
    synchronized (recipientCache) {
      ByteString cached = recipientCache.get(accountIds);
      if (cached != null) {
        return cached;
      }
    }
    RecipientSetResponse registered;
    try {
      registered = rest.call(Route.REGISTER_RECIPIENT_SET, RecipientSetRequest.newBuilder()
          .addAllRecipients(recipientDevices(accountIds)).build(), RecipientSetResponse.getDefaultInstance(), true);
    } catch (ApiFailure failure) {
      if (failure.status() == 503 && "recipient_sets_full".equals(failure.code())) {
        log.info("the server holds no more recipient sets; listing the devices");
        return null;
      }
      throw failure;
    }
    synchronized (recipientCache) {
      if (recipientCache.size() >= MAX_CACHED_RECIPIENT_LISTS) {
        recipientCache.clear();
      }
      recipientCache.put(Set.copyOf(accountIds), registered.getId());
    }
    return registered.getId();
  }

  /**
   * Every device of each account with its registration id, from the sessions: read from the database when a set is
   * registered, which happens again only after the server reports a change (a group of 1,024 would otherwise cost
   * two thousand reads per message).
   */
  private List<MultiRecipientMessageRequest.Recipient> recipientDevices(Set<String> accountIds)
      throws ApiFailure, NetworkException {
    List<MultiRecipientMessageRequest.Recipient> recipients = new ArrayList<>();
    for (String account : accountIds) {
      List<Integer> devices = protocol.sessions.devicesWithSessions(account);
      if (devices.isEmpty()) {
        crypto.startSessions(account, SessionCrypto.ALL_DEVICES);
        devices = protocol.sessions.devicesWithSessions(account);
      }
      MultiRecipientMessageRequest.Recipient.Builder recipient = MultiRecipientMessageRequest.Recipient.newBuilder()
          .setAccountId(account);
      for (int device : devices) {
        recipient.addDeviceIds(device).addRegistrationIds(
            db.inTransaction(c -> new SessionCipher(protocol, new SignalProtocolAddress(account, device))
                .getRemoteRegistrationId()));
      }
      recipients.add(recipient.build());
    }
    return recipients;
  }

  /** After a 409: fix the sessions of each account that differs; those accounts get our key again (new devices). */
  private void fixDevices(String groupId, ApiFailure failure) throws ApiFailure, NetworkException {
    synchronized (recipientCache) {
      recipientCache.clear();
    }
    MultiRecipientMismatch mismatches;
    try {
      mismatches = MultiRecipientMismatch.parseFrom(failure.body());
    } catch (InvalidProtocolBufferException e) {
      throw new NetworkException("The server's 409 answer is not a MultiRecipientMismatch", e);
    }
    for (MultiRecipientMismatch.AccountMismatch account : mismatches.getAccountsList()) {
      String accountId = account.getAccountId();
      DeviceMismatch mismatch = account.getMismatch();
      for (int device : mismatch.getExtraDevicesList()) {
        protocol.deleteSession(new SignalProtocolAddress(accountId, device));
      }
      for (int device : mismatch.getStaleDevicesList()) {
        protocol.deleteSession(new SignalProtocolAddress(accountId, device));
        crypto.startSessions(accountId, Integer.toString(device));
      }
      for (int device : mismatch.getMissingDevicesList()) {
        crypto.startSessions(accountId, Integer.toString(device));
      }
      groups.keyLost(groupId, accountId);
    }
  }

  static GroupState parse(byte[] state) {
    try {
      return GroupState.parseFrom(state);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("a stored group state is corrupt", e);
    }
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    Thread t;
    synchronized (this) {
      running = false;
      t = thread;
    }
    wake(false);
    if (t != null) {
      try {
        t.join(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
