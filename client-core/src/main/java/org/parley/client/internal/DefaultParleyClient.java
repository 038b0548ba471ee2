package org.parley.client.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.net.URI;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.parley.client.api.DeviceRevoked;
import javax.net.ssl.SSLContext;
import org.parley.client.api.AccountInfo;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.Contact;
import org.parley.client.api.IdentityChange;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.Message;
import org.parley.client.api.NetworkException;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.NotRegisteredException;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import org.parley.client.api.ParleyListener;
import org.parley.client.api.Presence;
import org.parley.client.api.SafetyNumber;
import org.parley.client.api.Typing;
import org.parley.client.api.LinkProgress;
import org.parley.client.api.LinkResult;
import org.parley.client.api.LinkedDevice;
import org.parley.client.internal.db.Database;
import org.parley.client.internal.linking.Linking;
import org.parley.client.internal.keys.PreKeys;
import org.parley.client.internal.messaging.Contents;
import org.parley.client.internal.messaging.Inbox;
import org.parley.client.internal.messaging.OutboxWorker;
import org.parley.client.internal.messaging.Receipts;
import org.parley.client.internal.messaging.Sender;
import org.parley.client.internal.messaging.SessionCrypto;
import org.parley.client.internal.net.ApiFailure;
import org.parley.client.internal.net.Backoff;
import org.parley.client.internal.net.Credentials;
import org.parley.client.internal.net.RestClient;
import org.parley.client.internal.net.Tls;
import org.parley.client.internal.net.WebSocketTransport;
import org.parley.client.internal.proto.Content;
import org.parley.client.internal.proto.TypingMessage;
import org.parley.client.internal.calls.CallPort;
import org.parley.client.internal.calls.DefaultCallManager;
import org.parley.client.internal.store.AccountTable;
import org.parley.client.internal.store.CallEntryTable;
import org.parley.client.internal.store.ContactTable;
import org.parley.client.internal.store.ConversationTable;
import org.parley.client.internal.store.IdentityTable;
import org.parley.client.internal.store.KyberPreKeyTable;
import org.parley.client.internal.store.MessageTable;
import org.parley.client.internal.store.OutboxTable;
import org.parley.client.internal.store.PreKeyTable;
import org.parley.client.internal.store.ProcessedEnvelopeTable;
import org.parley.client.internal.store.ProtocolStore;
import org.parley.client.internal.store.SenderKeyTable;
import org.parley.client.internal.store.SessionTable;
import org.parley.client.internal.store.SignedPreKeyTable;
import org.parley.protocol.AccountLookupResponse;
import org.parley.protocol.DeviceInfo;
import org.parley.protocol.DeviceList;
import org.parley.protocol.Envelope;
import org.parley.protocol.PresenceEvent;
import org.parley.protocol.WebSocketRequest;
import org.signal.libsignal.protocol.IdentityKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The client, wired by hand: stores over one encrypted database, the outbox worker, the inbox and the transport. */
final class DefaultParleyClient implements ParleyClient {

  private static final Logger log = LoggerFactory.getLogger(DefaultParleyClient.class);
  /** Characters; with UTF-8 and the PQXDH header the ciphertext stays well under the server's 64 KiB limit. */
  private static final int MAX_TEXT = 8_000;
  private static final int MAX_SEARCH_RESULTS = 1_000;

  private final ClientOptions options;
  private final Clock clock;
  private final FaultInjection faults;
  private final Database db;
  private final AccountTable account;
  private final ProtocolStore protocol;
  private final ContactTable contacts;
  private final ConversationTable conversationTable;
  private final MessageTable messages;
  private final OutboxTable outbox;
  private final ProcessedEnvelopeTable processed;
  private final Conversations conversations;
  private final CallEntryTable callEntries;
  private volatile DefaultCallManager callManager;
  private final PreKeys preKeys;
  private final SessionCrypto crypto;
  private final Registration registration;
  private final Receipts receipts;
  private final Events events = new Events();
  /** The TLS context with a configured extra certificate (loaded at open, so a bad file fails there), or null. */
  private final SSLContext customTls;
  private final ScheduledExecutorService scheduler;
  private volatile Set<Integer> ownDevices = Set.of();
  /** Whether {@link #ownDevices} has been asked of the server since this client opened. */
  private volatile boolean ownDevicesLoaded;
  /**
   * Passed to {@link Conversations} while our device list is not known yet: "there may be other devices", so the
   * sync copy is queued; the outbox asks the server before it goes out, and drops it when there are none.
   */
  private static final Set<Integer> OWN_DEVICES_UNKNOWN = Set.of(0);
  private final Linking linking;
  private volatile RestClient rest;
  private volatile WebSocketTransport transport;
  private volatile OutboxWorker outboxWorker;
  private volatile Inbox inbox;
  private volatile CountDownLatch drained = new CountDownLatch(1);
  private volatile boolean closed;
  private final AtomicReference<DeviceRevoked> revoked = new AtomicReference<>();

  private DefaultParleyClient(ClientOptions options, FaultInjection faults, Database db) throws IOException {
    this.options = options;
    this.clock = options.clock();
    this.faults = faults;
    this.db = db;
    this.account = new AccountTable(db);
    IdentityTable identities = new IdentityTable(db, clock, () -> account.get().orElseThrow(() ->
        new IllegalStateException("no account")));
    this.protocol = new ProtocolStore(identities, new PreKeyTable(db), new SignedPreKeyTable(db),
        new KyberPreKeyTable(db), new SessionTable(db), new SenderKeyTable(db));
    this.contacts = new ContactTable(db);
    this.conversationTable = new ConversationTable(db);
    this.messages = new MessageTable(db);
    this.outbox = new OutboxTable(db);
    this.processed = new ProcessedEnvelopeTable(db);
    this.preKeys = new PreKeys(protocol, account, clock);
    this.crypto = new SessionCrypto(protocol, db);
    this.registration = new Registration(account, identities, preKeys, clock);
    this.linking = new Linking(account, preKeys, identities::reset, this::rest, clock);
    this.receipts = new Receipts(outbox, clock, () -> account.get().map(AccountTable.Row::number).orElse(""));
    this.callEntries = new CallEntryTable(db, messages, conversationTable);
    this.conversations = new Conversations(db, contacts, conversationTable, messages, outbox, identities, receipts,
        clock, callEntries);
    // The JDK's default context costs ~0.1 s to load its trusted roots: only when the first request needs it.
    this.customTls = options.trustedCertificate().isPresent() ? Tls.context(options.trustedCertificate()) : null;
    AtomicInteger threads = new AtomicInteger();
    this.scheduler = Executors.newScheduledThreadPool(1, r -> {
      Thread t = new Thread(r, "parley-client-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  static DefaultParleyClient open(ClientOptions options, FaultInjection faults) throws IOException, SQLException {
    Database db = Database.open(options.dataDir());
    try {
      return new DefaultParleyClient(options, faults, db);
    } catch (IOException | RuntimeException e) {
      db.close();
      throw e;
    }
  }

  // ---- account ----

  private AccountTable.Row registered() throws NotRegisteredException {
    AccountTable.Row row = account.get().orElseThrow(() ->
        new NotRegisteredException("Not registered: run 'register +NUMBER' and 'verify CODE' first"));
    if (!row.registered()) {
      throw new NotRegisteredException("Registration of " + row.number() + " is not finished: run 'verify CODE'");
    }
    return row;
  }

  @Override
  public AccountInfo account() throws NotRegisteredException {
    AccountTable.Row row = registered();
    return new AccountInfo(row.number(), row.accountId(), row.deviceId(), serverUri().toString());
  }

  private URI serverUri() {
    return options.server().orElseGet(() -> account.get().map(r -> URI.create(r.serverUrl()))
        .orElse(URI.create("http://127.0.0.1:8080")));
  }

  private SSLContext tls() {
    if (customTls != null) {
      return customTls;
    }
    try {
      return SSLContext.getDefault();
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("This JDK has no default TLS context", e);
    }
  }

  private RestClient rest() {
    RestClient r = rest;
    if (r == null) {
      synchronized (this) {
        if (rest == null) {
          rest = new RestClient(serverUri(), tls(), () -> {
            AccountTable.Row row = account.get().orElseThrow();
            return new Credentials(row.accountId(), row.deviceId(), row.password());
          });
        }
        r = rest;
      }
    }
    return r;
  }

  @Override
  public void requestCode(String number) throws ParleyException {
    registration.requestCode(rest(), number);
  }

  @Override
  public AccountInfo verify(String code) throws ParleyException {
    return registration.verify(rest(), code);
  }

  // ---- connection ----

  @Override
  public synchronized void connect() throws ParleyException {
    AccountTable.Row row = registered();
    if (transport != null) {
      return;
    }
    Sender sender = new Sender(crypto, protocol, this::rest, () -> row.accountId(), () -> row.deviceId());
    inbox = new Inbox(db, crypto, protocol.identities, contacts, conversationTable, messages, outbox, processed,
        receipts, clock, row.accountId());
    outboxWorker = new OutboxWorker(db, outbox, messages, sender, clock,
        new Backoff(Duration.ofMillis(500), Duration.ofMinutes(5)), this::ownDevicesForSending,
        new OutboxWorker.Callbacks() {
          @Override
          public void statusChanged(long messageId) {
            fireStatus(messageId);
          }

          @Override
          public void attempted() {
            reportIdentityChanges();
          }

          @Override
          public void authenticationFailed(ApiFailure failure) {
            events.fire(l -> l.connection(false, "authentication failed: " + failure.getMessage()));
            revoke(failure.getMessage());
          }
        });
    transport = new WebSocketTransport(serverUri(), tls(), () -> new Credentials(row.accountId(), row.deviceId(),
        row.password()), new TransportListener(), scheduler,
        new Backoff(Duration.ofMillis(250), Duration.ofSeconds(30)), Duration.ofSeconds(25));
    outboxWorker.start();
    transport.start();
  }

  private final class TransportListener implements WebSocketTransport.Listener {

    @Override
    public int request(WebSocketRequest request) {
      String route = request.getVerb() + " " + request.getPath();
      switch (route) {
        case "PUT /api/v1/message":
          return message(request);
        case "PUT /api/v1/queue/empty":
          drained.countDown();
          return 200;
        case "PUT /api/v1/presence":
          presenceChanged(request);
          return 200;
        default:
          return 404;
      }
    }

    private int message(WebSocketRequest request) {
      Envelope envelope;
      try {
        envelope = Envelope.parseFrom(request.getBody());
      } catch (InvalidProtocolBufferException e) {
        log.warn("dropping a delivery that is not an Envelope");
        return 200;
      }
      Inbox.Result result = inbox.process(envelope);
      noticeOwnDevice(envelope);
      report(result.effects());
      reportIdentityChanges();
      if (envelope.getEphemeral()) {
        return 0;
      }
      if (result.status() == 200) {
        faults.beforeAck();
      }
      return result.status();
    }

    @Override
    public void connected() {
      events.fire(l -> l.connection(true, "connected"));
      outboxWorker.wake(true);
      scheduler.execute(DefaultParleyClient.this::afterConnect);
    }

    @Override
    public void disconnected(int code, String reason, boolean permanent, boolean wasOpen) {
      if (code == WebSocketTransport.CLOSE_CREDENTIALS_REVOKED || !wasOpen && reason.contains("401")) {
        events.fire(l -> l.connection(false, "authentication failed: " + code + " " + reason));
        revoke(code + " " + reason);
        return;
      }
      events.fire(l -> l.connection(false, code + " " + reason));
      if (!permanent && !wasOpen && !closed) {
        scheduler.execute(DefaultParleyClient.this::checkCredentials);
      }
    }
  }

  private void afterConnect() {
    try {
      refreshOwnDevices();
      org.parley.protocol.PreKeyCount count = rest().call("GET", "/v1/keys/count", null,
          org.parley.protocol.PreKeyCount.getDefaultInstance(), true);
      if (count.getEcCount() == 0 && count.getPqCount() == 0) {
        preKeys.uploadInitial(rest());
      } else {
        preKeys.replenishIfLow(rest());
        preKeys.rotateSignedPreKeyIfOld(rest());
      }
    } catch (ParleyException | ApiFailure | RuntimeException e) {
      log.warn("after connecting: {}", e.getMessage());
    }
  }

  /** Asks the server for our account's other devices. */
  private void refreshOwnDevices() throws ParleyException, ApiFailure {
    AccountTable.Row row = registered();
    DeviceList devices = rest().call("GET", "/v1/devices/" + RestClient.segment(row.accountId()), null,
        DeviceList.getDefaultInstance(), true);
    Set<Integer> others = new TreeSet<>();
    for (DeviceInfo device : devices.getDevicesList()) {
      if (device.getDeviceId() != row.deviceId()) {
        others.add(device.getDeviceId());
      }
    }
    setOwnDevices(Set.copyOf(others));
  }

  private void setOwnDevices(Set<Integer> others) {
    ownDevices = others;
    ownDevicesLoaded = true;
  }

  /** For the outbox (its own thread, connected): our other devices, asked of the server first if not known yet. */
  private Set<Integer> ownDevicesForSending() {
    if (!ownDevicesLoaded) {
      try {
        refreshOwnDevices();
      } catch (ParleyException | ApiFailure | RuntimeException e) {
        log.debug("listing our devices: {}", e.getMessage());
      }
    }
    return ownDevices;
  }

  /** What {@link Conversations} uses to decide whether to queue sync copies. */
  private Set<Integer> syncTargets() {
    return ownDevicesLoaded ? ownDevices : OWN_DEVICES_UNKNOWN;
  }

  /** A message from a device of ours we did not know of (newly linked): refresh the list. */
  private void noticeOwnDevice(Envelope envelope) {
    AccountTable.Row row = account.get().orElse(null);
    if (row != null && envelope.getSourceAccount().equals(row.accountId())
        && envelope.getSourceDevice() != row.deviceId() && !ownDevices.contains(envelope.getSourceDevice())) {
      scheduler.execute(() -> {
        try {
          refreshOwnDevices();
        } catch (ParleyException | ApiFailure | RuntimeException e) {
          log.debug("listing our devices: {}", e.getMessage());
        }
      });
    }
  }

  @Override
  public Optional<DeviceRevoked> revoked() {
    return Optional.ofNullable(revoked.get());
  }

  /**
   * The server refuses this registered device's credentials: stop the transport for good and tell the front ends,
   * once. The server closes with "The account was registered again" when the number was registered anew; otherwise a
   * linked device has been unlinked, and a primary (which cannot be unlinked) has been replaced.
   */
  private void revoke(String serverMessage) {
    if (closed) {
      return;
    }
    AccountTable.Row row = account.get().orElse(null);
    DeviceRevoked.Reason reason = serverMessage.contains("registered again") || row == null || row.deviceId() == 1
        ? DeviceRevoked.Reason.REREGISTERED : DeviceRevoked.Reason.UNLINKED;
    DeviceRevoked event = new DeviceRevoked(reason, serverMessage);
    if (!revoked.compareAndSet(null, event)) {
      return;
    }
    log.warn("this device's credentials were revoked ({}): {}", reason, serverMessage);
    WebSocketTransport t = transport;
    if (t != null) {
      scheduler.execute(t::close);
    }
    events.fire(l -> l.deviceRevoked(event));
  }

  private void checkCredentials() {
    try {
      rest().raw("GET", "/v1/accounts/me", null, true);
    } catch (ApiFailure failure) {
      if (failure.status() == 401) {
        log.warn("the server refuses our credentials; not reconnecting");
        WebSocketTransport t = transport;
        if (t != null) {
          scheduler.execute(t::close);
        }
        events.fire(l -> l.connection(false, "authentication failed: " + failure.getMessage()));
        revoke(failure.getMessage());
      }
    } catch (NetworkException e) {
      log.debug("credentials check: {}", e.getMessage());
    }
  }

  private void presenceChanged(WebSocketRequest request) {
    try {
      PresenceEvent event = PresenceEvent.parseFrom(request.getBody());
      contacts.byAccount(event.getAccountId()).ifPresent(contact -> {
        Presence presence = new Presence(contact.number(), event.getOnline(), event.getLastSeen());
        events.fire(l -> l.presence(presence));
      });
    } catch (InvalidProtocolBufferException e) {
      log.warn("ignoring a presence event that does not parse");
    }
  }

  private void report(List<Inbox.Effect> effects) {
    for (Inbox.Effect effect : effects) {
      if (effect instanceof Inbox.Effect.Received received) {
        conversations.message(received.messageId()).ifPresent(m -> events.fire(l -> l.messageReceived(m)));
      } else if (effect instanceof Inbox.Effect.StatusChanged changed) {
        fireStatus(changed.messageId());
      } else if (effect instanceof Inbox.Effect.Typing typing) {
        contacts.byAccount(typing.accountId()).ifPresent(contact -> events.fire(l -> l.typing(
            new Typing(contact.number(), typing.started(), typing.timestamp()))));
      } else if (effect instanceof Inbox.Effect.Call call) {
        ((DefaultCallManager) calls()).signal(call.accountId(), call.deviceId(), call.ephemeral(), call.message());
      } else if (effect instanceof Inbox.Effect.OutboxChanged) {
        OutboxWorker w = outboxWorker;
        if (w != null) {
          w.wake(false);
        }
      }
    }
  }

  /** Tells listeners about identity keys that changed since the last call (recorded by libsignal's store calls). */
  private void reportIdentityChanges() {
    for (String accountId : protocol.identities.drainChanges()) {
      String number = contacts.byAccount(accountId).map(ContactTable.Row::number).orElse("");
      long at = protocol.identities.find(accountId).map(IdentityTable.Entry::changedAt).orElse(clock.millis());
      events.fire(l -> l.identityChanged(new IdentityChange(number, accountId, at)));
    }
  }

  private void fireStatus(long messageId) {
    conversations.message(messageId).ifPresent(m -> events.fire(l -> l.statusChanged(m)));
  }

  @Override
  public boolean awaitQueueDrained(Duration timeout) throws InterruptedException {
    return drained.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public boolean awaitOutboxEmpty(Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (outbox.size() > 0) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  // ---- messages ----

  /** The account of {@code number}: from our contacts, else asked of the server (and remembered). */
  private String resolve(String number) throws ParleyException {
    Registration.checkNumber(number);
    Optional<ContactTable.Row> known = contacts.byNumber(number);
    if (known.isPresent()) {
      return known.get().accountId();
    }
    try {
      AccountLookupResponse found = rest().call("GET", "/v1/accounts/number/" + RestClient.segment(number), null,
          AccountLookupResponse.getDefaultInstance(), true);
      contacts.put(found.getAccountId(), number, clock.millis());
      return found.getAccountId();
    } catch (ApiFailure failure) {
      if (failure.status() == 404) {
        throw new NotFoundException("No Parley account has the number " + number, failure);
      }
      throw failure.toParley("Looking up " + number);
    }
  }

  @Override
  public Message send(String number, String text) throws ParleyException {
    AccountTable.Row row = registered();
    if (text == null || text.isBlank()) {
      throw new InvalidInputException("A message needs some text");
    }
    if (text.length() > MAX_TEXT) {
      throw new InvalidInputException("A message is at most " + MAX_TEXT + " characters; this one has "
          + text.length());
    }
    if (number.equals(row.number())) {
      throw new InvalidInputException("Sending to your own number is not supported");
    }
    String to = resolve(number);
    long id = conversations.queue(row, number, to, text, syncTargets());
    OutboxWorker w = outboxWorker;
    if (w != null) {
      w.wake(false);
    }
    return conversations.message(id).orElseThrow();
  }

  @Override
  public void sendTyping(String number, boolean started) throws ParleyException {
    AccountTable.Row row = registered();
    String to = resolve(number);
    long now = clock.millis();
    Content content = Content.newBuilder().setSenderNumber(row.number())
        .setTyping(TypingMessage.newBuilder().setStarted(started).setTimestamp(now)).build();
    try {
      new Sender(crypto, protocol, this::rest, row::accountId, row::deviceId)
          .send(to, Contents.encode(content), now, true, Set.of());
    } catch (ApiFailure failure) {
      throw failure.toParley("Sending a typing indicator to " + number);
    } finally {
      reportIdentityChanges();
    }
  }

  @Override
  public Presence presence(String number) throws ParleyException {
    registered();
    String accountId = resolve(number);
    WebSocketTransport t = transport;
    if (t != null && t.isConnected()) {
      try {
        int status = t.request("PUT", "/v1/presence/subscriptions/" + RestClient.segment(accountId), null)
            .get(10, TimeUnit.SECONDS).getStatus();
        if (status / 100 != 2) {
          throw new NetworkException("Subscribing to the presence of " + number + ": the server answered " + status);
        }
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        throw new NetworkException("Subscribing to the presence of " + number + " failed: " + e, e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new NetworkException("Interrupted while subscribing to presence", e);
      }
    }
    try {
      PresenceEvent now = rest().call("GET", "/v1/presence/" + RestClient.segment(accountId), null,
          PresenceEvent.getDefaultInstance(), true);
      return new Presence(number, now.getOnline(), now.getLastSeen());
    } catch (ApiFailure failure) {
      throw failure.toParley("Presence of " + number);
    }
  }

  @Override
  public List<Message> history(String number, int limit) throws ParleyException {
    registered();
    Registration.checkNumber(number);
    if (limit <= 0) {
      throw new InvalidInputException("The history limit must be positive");
    }
    return conversations.history(number, limit);
  }

  @Override
  public List<Message> history(String number, long beforeMessageId, int limit) throws ParleyException {
    registered();
    Registration.checkNumber(number);
    if (limit <= 0) {
      throw new InvalidInputException("The history limit must be positive");
    }
    return conversations.historyBefore(number, beforeMessageId, limit);
  }

  @Override
  public List<Message> search(String query, int limit) throws ParleyException {
    registered();
    if (query == null || query.isBlank()) {
      throw new InvalidInputException("A search needs some text");
    }
    if (limit <= 0 || limit > MAX_SEARCH_RESULTS) {
      throw new InvalidInputException("The search limit must be between 1 and " + MAX_SEARCH_RESULTS);
    }
    return conversations.search(query, limit);
  }

  @Override
  public List<Contact> contacts() throws ParleyException {
    registered();
    return conversations.contacts();
  }

  @Override
  public int markRead(String number) throws ParleyException {
    AccountTable.Row row = registered();
    Registration.checkNumber(number);
    int changed = conversations.markRead(row, number, row.readReceipts(), syncTargets());
    if (changed > 0) {
      events.fire(l -> l.conversationRead(number, changed));
    }
    OutboxWorker w = outboxWorker;
    if (w != null) {
      w.wake(false);
    }
    return changed;
  }

  @Override
  public void setReadReceipts(boolean enabled) throws ParleyException {
    registered();
    account.setReadReceipts(enabled);
  }

  @Override
  public SafetyNumber safetyNumber(String number) throws ParleyException {
    AccountTable.Row row = registered();
    String accountId = resolve(number);
    Optional<IdentityTable.Entry> entry = protocol.identities.find(accountId);
    if (entry.isEmpty()) {
      try {
        crypto.startSessions(rest(), accountId, "*");
      } catch (ApiFailure failure) {
        throw failure.toParley("Fetching the identity key of " + number);
      } finally {
        reportIdentityChanges();
      }
      entry = protocol.identities.find(accountId);
    }
    IdentityKey theirs = entry.orElseThrow(() -> new NotFoundException("No identity key known for " + number))
        .key();
    return SafetyNumbers.of(row.number(), protocol.getIdentityKeyPair().getPublicKey(), number, theirs,
        Optional.ofNullable(entry.get().changedAt()));
  }

  // ---- linking (docs/decisions/0301-device-linking.md) ----

  @Override
  public LinkResult link(String deviceName, LinkProgress progress, Duration timeout) throws ParleyException,
      InterruptedException {
    return linking.link(deviceName, progress, timeout);
  }

  @Override
  public LinkedDevice addDevice(String linkUri, String profileName) throws ParleyException, InterruptedException {
    return linking.addDevice(registered(), linkUri, profileName, this::setOwnDevices);
  }

  @Override
  public List<LinkedDevice> devices() throws ParleyException {
    return linking.devices(registered());
  }

  @Override
  public void unlink(int deviceId) throws ParleyException {
    linking.unlink(registered(), deviceId, this::setOwnDevices);
  }

  @Override
  public org.parley.client.api.calls.CallManager calls() {
    DefaultCallManager m = callManager;
    if (m == null) {
      synchronized (this) {
        if (callManager == null) {
          callManager = new DefaultCallManager(new ClientCallPort(), clock, DefaultCallManager.Timeouts.defaults());
        }
        m = callManager;
      }
    }
    return m;
  }

  /** What calls need of this client: who we are, sending signaling, ICE servers, call entries. */
  private final class ClientCallPort implements CallPort {
    @Override
    public Self self() throws ParleyException {
      AccountTable.Row row = registered();
      return new Self(row.number(), row.accountId(), row.deviceId());
    }

    @Override
    public boolean connected() {
      WebSocketTransport t = transport;
      return t != null && t.isConnected();
    }

    @Override
    public String accountOf(String number) throws ParleyException {
      return resolve(number);
    }

    @Override
    public Optional<String> numberOf(String accountId) {
      return contacts.byAccount(accountId).map(ContactTable.Row::number);
    }

    @Override
    public List<Integer> sendNow(String accountId, org.parley.client.internal.proto.CallMessage message)
        throws ParleyException {
      AccountTable.Row row = registered();
      Content content = Content.newBuilder().setSenderNumber(row.number()).setCall(message).build();
      try {
        org.parley.protocol.SendMessageResponse response = new Sender(crypto, protocol, DefaultParleyClient.this::rest,
            row::accountId, row::deviceId).send(accountId, Contents.encode(content), clock.millis(), true, true,
            Set.of());
        return response == null ? List.of() : response.getDeliveredDevicesList();
      } catch (ApiFailure failure) {
        throw failure.toParley("Sending call signaling");
      } finally {
        reportIdentityChanges();
      }
    }

    @Override
    public void sendLater(String accountId, org.parley.client.internal.proto.CallMessage message) {
      AccountTable.Row row = account.get().orElseThrow();
      long now = clock.millis();
      outbox.add(accountId, Contents.encode(Content.newBuilder().setSenderNumber(row.number()).setCall(message)
          .build()), now, null, now);
      OutboxWorker w = outboxWorker;
      if (w != null) {
        w.wake(false);
      }
    }

    @Override
    public org.parley.protocol.IceServers iceServers() throws ParleyException {
      try {
        return rest().call("GET", "/v1/calls/ice-servers", null, org.parley.protocol.IceServers.getDefaultInstance(),
            true);
      } catch (ApiFailure failure) {
        if (failure.status() == 503) {
          return org.parley.protocol.IceServers.getDefaultInstance();
        }
        throw failure.toParley("Fetching ICE servers");
      }
    }

    @Override
    public void record(String contactAccount, String callerAccount, int callerDevice,
        org.parley.client.api.calls.CallEntry entry, long startedAt, String text) {
      Optional<Long> id = callEntries.record(contactAccount, callerAccount, callerDevice, entry, startedAt, text,
          clock.millis());
      if (id.isEmpty()) {
        return;
      }
      if (entry.direction() == org.parley.client.api.calls.CallDirection.INCOMING) {
        if (!entry.missed()) {
          messages.advance(id.get(), org.parley.client.api.MessageStatus.READ, clock.millis());
        }
        conversations.message(id.get()).ifPresent(m -> events.fire(l -> l.messageReceived(m)));
      } else {
        fireStatus(id.get());
      }
    }
  }

  @Override
  public void addListener(ParleyListener listener) {
    events.add(listener);
  }

  @Override
  public void removeListener(ParleyListener listener) {
    events.remove(listener);
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (callManager != null) {
      callManager.close();
    }
    if (transport != null) {
      transport.close();
    }
    if (outboxWorker != null) {
      outboxWorker.close();
    }
    // shutdown, not shutdownNow: interrupting a thread inside H2 would close the database file.
    scheduler.shutdown();
    try {
      scheduler.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    db.close();
  }
}
