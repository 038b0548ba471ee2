package org.parley.client.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyListener;
import org.parley.client.internal.account.AccountService;
import org.parley.client.internal.account.Registration;
import org.parley.client.internal.attachments.AttachmentFiles;
import org.parley.client.internal.attachments.AttachmentTransfer;
import org.parley.client.internal.attachments.OutgoingFiles;
import org.parley.client.internal.attachments.Thumbnails;
import org.parley.client.internal.calls.CallSignalHandler;
import org.parley.client.internal.calls.ClientCallPort;
import org.parley.client.internal.calls.DefaultCallManager;
import org.parley.client.internal.connection.AfterConnect;
import org.parley.client.internal.connection.BacklogTracker;
import org.parley.client.internal.connection.Connection;
import org.parley.client.internal.connection.ConnectionListener;
import org.parley.client.internal.connection.DeliverMessageHandler;
import org.parley.client.internal.connection.FaultInjection;
import org.parley.client.internal.connection.OutboxReports;
import org.parley.client.internal.connection.PushRouter;
import org.parley.client.internal.connection.QueueEmptyHandler;
import org.parley.client.internal.connection.Revocation;
import org.parley.client.internal.db.Database;
import org.parley.client.internal.events.Events;
import org.parley.client.internal.events.IdentityChanges;
import org.parley.client.internal.groups.GroupInbox;
import org.parley.client.internal.groups.GroupOutbox;
import org.parley.client.internal.groups.GroupService;
import org.parley.client.internal.identity.SafetyNumberService;
import org.parley.client.internal.keys.PreKeys;
import org.parley.client.internal.linking.Linking;
import org.parley.client.internal.linking.OwnDevices;
import org.parley.client.internal.location.LocationSharing;
import org.parley.client.internal.media.GroupMedia;
import org.parley.client.internal.media.MediaService;
import org.parley.client.internal.messaging.AttachmentSettings;
import org.parley.client.internal.messaging.ContactDirectory;
import org.parley.client.internal.messaging.ContentDispatcher;
import org.parley.client.internal.messaging.Conversations;
import org.parley.client.internal.messaging.HistoryService;
import org.parley.client.internal.messaging.Inbox;
import org.parley.client.internal.messaging.IncomingAttachments;
import org.parley.client.internal.messaging.MessageEvents;
import org.parley.client.internal.messaging.MessageExtras;
import org.parley.client.internal.messaging.MessagingService;
import org.parley.client.internal.messaging.OutboxWorker;
import org.parley.client.internal.messaging.Receipts;
import org.parley.client.internal.messaging.Sender;
import org.parley.client.internal.messaging.SessionCrypto;
import org.parley.client.internal.messaging.content.DataMessageHandler;
import org.parley.client.internal.messaging.content.PlacesAndPayments;
import org.parley.client.internal.messaging.content.ReceiptHandler;
import org.parley.client.internal.messaging.content.SyncHandler;
import org.parley.client.internal.messaging.content.TypingHandler;
import org.parley.client.internal.net.Backoff;
import org.parley.client.internal.net.RestClient;
import org.parley.client.internal.net.ServerTls;
import org.parley.client.internal.net.WebSocketTransport;
import org.parley.client.internal.payments.PaymentRequests;
import org.parley.client.internal.presence.PresenceChangedHandler;
import org.parley.client.internal.presence.PresenceService;
import org.parley.client.internal.proto.Content;
import org.parley.client.internal.store.AccountTable;
import org.parley.client.internal.store.AttachmentTable;
import org.parley.client.internal.store.CallEntryTable;
import org.parley.client.internal.store.ChatGroupTable;
import org.parley.client.internal.store.ContactTable;
import org.parley.client.internal.store.ConversationTable;
import org.parley.client.internal.store.GroupMessageTable;
import org.parley.client.internal.store.IdentityTable;
import org.parley.client.internal.store.KyberPreKeyTable;
import org.parley.client.internal.store.MessageLocationTable;
import org.parley.client.internal.store.MessageTable;
import org.parley.client.internal.store.OutboxTable;
import org.parley.client.internal.store.PaymentRequestTable;
import org.parley.client.internal.store.PreKeyTable;
import org.parley.client.internal.store.ProcessedEnvelopeTable;
import org.parley.client.internal.store.ProtocolStore;
import org.parley.client.internal.store.SenderKeyTable;
import org.parley.client.internal.store.SessionTable;
import org.parley.client.internal.store.SettingTable;
import org.parley.client.internal.store.SignedPreKeyTable;
import org.parley.protocol.Route;

/**
 * The composition root: every object of one client is built here, once, in dependency order, with the clock of the
 * options; nothing else calls a service's constructor. What runs only while connected (the WebSocket and the outbox
 * worker) is built here too and started by {@link Connection#connect}. Building starts no thread and makes no
 * request, so opening a client to read its history stays cheap.
 *
 * <p>Adding a kind of content: a field in {@code content.proto}, a {@code ContentHandler}, and one {@code .on(...)}
 * line below (docs/decisions/0110-client-structure.md).
 */
public final class ClientComponents implements AutoCloseable {

  private final Database db;
  private final AccountTable accountTable;
  private final ProtocolStore protocol;
  private final SessionCrypto crypto;
  private final ContentDispatcher contents;
  private final Inbox inbox;
  private final PushRouter pushes;
  private final DeliverMessageHandler deliveries;
  private final ScheduledExecutorService scheduler;
  private final Revocation revocation;
  private final DefaultCallManager calls;
  private final Connection connection;
  private final MediaService media;
  private final GroupOutbox groupOutbox;
  private final GroupMedia groupMedia;
  private final ParleyClient client;
  private boolean closed;

  private ClientComponents(ClientOptions options, FaultInjection faults, ContentDispatcher.UnhandledContent unhandled,
      Database db, Tuning tuning) throws IOException {
    Clock clock = options.clock();
    this.db = db;

    // the stores, one per table
    AccountTable account = new AccountTable(db);
    this.accountTable = account;
    IdentityTable identities = new IdentityTable(db, clock, () -> account.get().orElseThrow(() ->
        new IllegalStateException("no account")));
    this.protocol = new ProtocolStore(identities, new PreKeyTable(db), new SignedPreKeyTable(db),
        new KyberPreKeyTable(db), new SessionTable(db), new SenderKeyTable(db));
    ContactTable contacts = new ContactTable(db);
    ConversationTable conversationTable = new ConversationTable(db);
    MessageTable messages = new MessageTable(db);
    OutboxTable outboxTable = new OutboxTable(db);
    ProcessedEnvelopeTable processed = new ProcessedEnvelopeTable(db);
    CallEntryTable callEntries = new CallEntryTable(db, messages, conversationTable);
    MessageLocationTable locations = new MessageLocationTable(db);
    PaymentRequestTable paymentRequests = new PaymentRequestTable(db);
    AttachmentTable attachmentTable = new AttachmentTable(db);
    AttachmentSettings attachmentSettings = new AttachmentSettings(new SettingTable(db));

    // the server: REST, and the WebSocket (not connected yet)
    URI server = AccountService.serverOf(options.server(), account);
    ServerTls tls = ServerTls.of(options.trustedCertificate());
    RestClient rest = new RestClient(server, tls, () -> AccountService.credentialsOf(account));
    this.scheduler = daemonScheduler();
    WebSocketTransport transport = new WebSocketTransport(server, tls, () -> AccountService.credentialsOf(account),
        scheduler, new Backoff(Duration.ofMillis(250), Duration.ofSeconds(30)), Duration.ofSeconds(25));

    // the account, its keys and its devices
    PreKeys preKeys = new PreKeys(protocol, account, rest, clock);
    AccountService accounts = new AccountService(account, new Registration(account, identities, preKeys, rest, clock),
        server);
    OwnDevices ownDevices = new OwnDevices(accounts, rest, scheduler);
    Linking linking = new Linking(account, accounts, preKeys, identities::reset, rest, ownDevices, clock);
    Events events = new Events();
    IdentityChanges identityChanges = new IdentityChanges(identities, contacts, events, clock);

    // sending
    this.crypto = new SessionCrypto(protocol, db, rest);
    Sender sender = new Sender(crypto, protocol, rest, transport, accounts);
    Receipts receipts = new Receipts(outboxTable, clock, () -> account.get().map(AccountTable.Row::number)
        .orElse(""));
    Conversations conversations = new Conversations(db, contacts, conversationTable, messages, outboxTable,
        identities, receipts, clock, callEntries, attachmentTable, new MessageExtras(locations, paymentRequests));
    MessageEvents messageEvents = new MessageEvents(conversations, events);
    ContactDirectory directory = new ContactDirectory(contacts, rest, clock);
    this.revocation = new Revocation(accounts, rest, transport, events, scheduler);

    // attachments: local encrypted files, uploads before the outbox sends, downloads on their own pool
    Path attachmentsDir = options.dataDir().resolve("attachments");
    AttachmentFiles attachmentFiles = AttachmentFiles.open(options.dataDir());
    OutgoingFiles outgoingFiles = new OutgoingFiles(attachmentFiles, attachmentsDir.resolve(".upload"),
        Thumbnails.DEFAULT);
    MediaService.Parts media = MediaService.build(db, accounts, attachmentTable, messages, conversationTable,
        outboxTable, conversations, messageEvents, attachmentFiles, outgoingFiles,
        new AttachmentTransfer(rest, () -> AccountService.credentialsOf(account)), attachmentSettings, contacts,
        ownDevices::syncTargets, events, attachmentsDir, clock, faults.uploadBytesPerSecond());
    this.media = media.service();
    IncomingAttachments incomingAttachments = new IncomingAttachments(attachmentTable, media.downloads()::stored,
        clock);

    OutboxWorker outbox = new OutboxWorker(db, outboxTable, messages, sender, clock,
        new Backoff(Duration.ofMillis(500), Duration.ofMinutes(5)), ownDevices::forSending,
        new OutboxReports(messageEvents, identityChanges, revocation), media.uploads(), tuning.sendWindow(), tuning.sendAhead(),
        tuning.sendDepth());
    this.media.outboxWorker(outbox);

    LocationSharing locationSharing = new LocationSharing(accounts, directory, conversations, ownDevices, outbox,
        locations);
    PaymentRequests payments = new PaymentRequests(accounts, directory, conversations, ownDevices, db, outboxTable,
        outbox, paymentRequests, events, clock);
    PlacesAndPayments placesAndPayments = new PlacesAndPayments(locations, payments);

    // calls
    this.calls = new DefaultCallManager(new ClientCallPort(accounts, directory, transport, sender, outboxTable, outbox,
        rest, callEntries, messages, messageEvents, identityChanges, clock), clock,
        DefaultCallManager.Timeouts.defaults());

    // groups (ADR 0140): their own ordered outbox (pairwise updates, then one upload per message)
    ChatGroupTable groupTable = new ChatGroupTable(db);
    GroupMessageTable groupMessages = new GroupMessageTable(db);
    this.groupOutbox = new GroupOutbox(db, groupTable, groupMessages, protocol, crypto, sender, rest, accounts,
        ownDevices, clock);
    // The group outbox backs off while the server is unreachable, like the outbox; a new connection retries now.
    GroupOutbox groupSends = this.groupOutbox;
    events.add(new ParleyListener() {
      @Override
      public void connection(boolean connected, String reason) {
        if (connected) {
          groupSends.wake(true);
        }
      }
    });
    // attachments in groups: uploaded once before the group outbox sends; pictures in the group state
    this.groupMedia = new GroupMedia(attachmentTable, outgoingFiles, attachmentSettings, media.uploads(),
        media.downloads(), incomingAttachments, clock);
    GroupInbox groupInbox = new GroupInbox(groupTable, groupMessages, protocol, outboxTable, outbox, groupOutbox,
        ownDevices, accounts, events, clock, groupMedia);

    // receiving: one handler per kind of content, the inbox, one handler per pushed request
    this.contents = ContentDispatcher.builder()
        .on(Content.BodyCase.DATA, new DataMessageHandler(conversationTable, messages, receipts, messageEvents, outbox,
            clock, incomingAttachments, placesAndPayments))
        .on(Content.BodyCase.RECEIPT, new ReceiptHandler(conversationTable, messages, messageEvents, clock))
        .on(Content.BodyCase.TYPING, new TypingHandler(contacts, events))
        .on(Content.BodyCase.SYNC, new SyncHandler(contacts, conversationTable, messages, messageEvents, clock,
            incomingAttachments, placesAndPayments))
        .on(Content.BodyCase.CALL, new CallSignalHandler(calls))
        .on(Content.BodyCase.GROUP_UPDATE, groupInbox::update)
        .on(Content.BodyCase.GROUP_MESSAGE, groupInbox::message)
        .on(Content.BodyCase.SENDER_KEY, groupInbox::senderKey)
        .on(Content.BodyCase.SENDER_KEY_REQUEST, groupInbox::senderKeyRequest)
        .on(Content.BodyCase.GROUP_RECEIPT, groupInbox::receipt)
        .on(Content.BodyCase.GROUP_TYPING, groupInbox::typing)
        .on(Content.BodyCase.GROUP_SYNC, groupInbox::sync)
        .build(unhandled);
    this.inbox = new Inbox(db, crypto, contacts, processed, contents, accounts, receipts, clock,
        groupInbox::undecryptable);
    BacklogTracker backlog = new BacklogTracker(events, clock::millis);
    this.deliveries = new DeliverMessageHandler(inbox, ownDevices, identityChanges, faults, tuning.inboxBatch(),
        backlog);
    QueueEmptyHandler queueEmpty = new QueueEmptyHandler(deliveries, backlog);
    this.pushes = PushRouter.builder()
        .on(Route.DELIVER_MESSAGE, deliveries)
        .on(Route.QUEUE_EMPTY, queueEmpty)
        .on(Route.PRESENCE_CHANGED, new PresenceChangedHandler(contacts, events))
        .build();
    this.connection = new Connection(accounts, transport, new ConnectionListener(pushes, outbox, backlog,
        new AfterConnect(ownDevices, preKeys), revocation, events, scheduler), outbox);

    // the API
    GroupService groupService = new GroupService(db, accounts, directory, groupTable, groupMessages, groupOutbox,
        outboxTable, outbox, ownDevices, events, clock, groupMedia);
    this.media.groupUploadRetry(groupService::retryUploads);
    this.client = new ClientFacade(accounts, linking, connection, queueEmpty, revocation,
        new MessagingService(accounts, directory, conversations, ownDevices, outboxTable, outbox, sender,
            identityChanges, events, clock, outgoingFiles, attachmentSettings),
        new HistoryService(accounts, conversations),
        new PresenceService(accounts, directory, rest, transport),
        new SafetyNumberService(accounts, directory, protocol, crypto, identityChanges),
        calls, this.media, events, this::close, locationSharing, payments,
        groupService);
  }

  /** Opens the database in {@code options.dataDir()} and builds the client over it. */
  public static ClientComponents open(ClientOptions options, FaultInjection faults) throws IOException, SQLException {
    return open(options, faults, ContentDispatcher.LOG_WARNING);
  }

  /**
   * As {@link #open(ClientOptions, FaultInjection)} with at most {@code inboxBatch} received envelopes per
   * transaction ({@link Inbox#MAX_BATCH} normally; the backlog benchmark compares 1).
   */
  public static ClientComponents open(ClientOptions options, FaultInjection faults, int inboxBatch)
      throws IOException, SQLException {
    return open(options, faults, new Tuning(inboxBatch, Tuning.DEFAULT.sendWindow(), Tuning.DEFAULT.sendAhead(),
        Tuning.DEFAULT.sendDepth()));
  }

  /**
   * How many received envelopes share a transaction; how many destinations may have sends in flight on the WebSocket
   * (0: one row at a time over HTTP), how many rows of a destination one round encrypts ahead and how many of them
   * are on the wire at once (ADR 0204). The
   * benchmarks compare; everyone else uses {@link #DEFAULT}, which pipelines.
   */
  public record Tuning(int inboxBatch, int sendWindow, int sendAhead, int sendDepth) {
    /**
     * Pipelined sending: window {@link OutboxWorker#WINDOW}, {@link OutboxWorker#AHEAD} rows ahead,
     * {@link OutboxWorker#DEPTH} of them in flight.
     */
    public static final Tuning PIPELINED = new Tuning(Inbox.MAX_BATCH, OutboxWorker.WINDOW, OutboxWorker.AHEAD,
        OutboxWorker.DEPTH);
    /** What clients use: pipelined (ADR 0204). */
    public static final Tuning DEFAULT = PIPELINED;

    public Tuning {
      if (inboxBatch < 1 || sendWindow < 0 || sendAhead < 1 || sendDepth < 1) {
        throw new IllegalArgumentException(
            "inboxBatch, sendAhead and sendDepth must be at least 1 and sendWindow at least 0");
      }
    }
  }

  /** As {@link #open(ClientOptions, FaultInjection)} with other {@link Tuning}. */
  public static ClientComponents open(ClientOptions options, FaultInjection faults, Tuning tuning)
      throws IOException, SQLException {
    return open(options, faults, ContentDispatcher.LOG_WARNING, tuning);
  }

  /** As {@link #open(ClientOptions, FaultInjection)}, telling {@code unhandled} about content nothing handles. */
  static ClientComponents open(ClientOptions options, FaultInjection faults,
      ContentDispatcher.UnhandledContent unhandled) throws IOException, SQLException {
    return open(options, faults, unhandled, Tuning.DEFAULT);
  }

  private static ClientComponents open(ClientOptions options, FaultInjection faults,
      ContentDispatcher.UnhandledContent unhandled, Tuning tuning) throws IOException, SQLException {
    Database db = Database.open(options.dataDir());
    try {
      return new ClientComponents(options, faults, unhandled, db, tuning);
    } catch (IOException | RuntimeException e) {
      db.close();
      throw e;
    }
  }

  private static ScheduledExecutorService daemonScheduler() {
    AtomicInteger threads = new AtomicInteger();
    return Executors.newScheduledThreadPool(1, r -> {
      Thread t = new Thread(r, "parley-client-" + threads.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  /** The API over these components. */
  public ParleyClient client() {
    return client;
  }

  // Parts the benchmarks and tests drive directly.

  public Database database() {
    return db;
  }

  public AccountTable accountTable() {
    return accountTable;
  }

  public ProtocolStore protocolStore() {
    return protocol;
  }

  public SessionCrypto sessionCrypto() {
    return crypto;
  }

  public Inbox inbox() {
    return inbox;
  }

  ContentDispatcher contentDispatcher() {
    return contents;
  }

  PushRouter pushRouter() {
    return pushes;
  }

  /** Stops calls, the connection and the background thread, then closes the database; idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    revocation.clientClosing();
    calls.close();
    media.close();
    groupMedia.close();
    groupOutbox.close();
    connection.close();
    deliveries.close();
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
