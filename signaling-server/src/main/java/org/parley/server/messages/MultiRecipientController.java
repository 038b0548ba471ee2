package org.parley.server.messages;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.parley.protocol.DeviceInfo;
import org.parley.protocol.DeviceMismatch;
import org.parley.protocol.Envelope;
import org.parley.protocol.MultiRecipientMessageRequest;
import org.parley.protocol.MultiRecipientMessageResponse;
import org.parley.protocol.MultiRecipientMismatch;
import org.parley.protocol.Route;
import org.parley.server.accounts.AccountsService;
import org.parley.server.api.ApiException;
import org.parley.server.api.ApiRequest;
import org.parley.server.api.ApiResponse;
import org.parley.server.api.BodyCodec;
import org.parley.server.api.Router;
import org.parley.server.auth.AuthenticatedDevice;
import org.parley.server.metrics.ServerMetrics;
import org.parley.server.ratelimit.RateLimiter;
import org.parley.server.storage.Account;
import org.parley.server.storage.ContactPairs;
import org.parley.server.storage.Device;
import org.parley.server.storage.DeviceAddress;
import org.parley.server.storage.MessageQueue;
import org.parley.server.storage.QueuedMessage;

/**
 * {@code PUT /v1/multi-recipient-messages}: one sender-key ciphertext for the devices of many accounts (a group
 * message, ADR 0140). The sender uploads it once; the server stores a copy for every listed device in one queue
 * insert and answers once all are durable. It learns the recipients, the size and the time, not the group.
 */
public final class MultiRecipientController {

  /** A group has at most 1,024 members. */
  public static final int MAX_RECIPIENT_ACCOUNTS = 1024;

  /** Each member has a primary and up to 5 linked devices. */
  public static final int MAX_RECIPIENT_DEVICES = MAX_RECIPIENT_ACCOUNTS * 6;

  private final AccountsService accounts;
  private final MessageQueue queue;
  private final DeliveryService delivery;
  private final RateLimiter sendLimiter;
  private final ServerMetrics metrics;
  private final Clock clock;
  private final MessageController.Limits limits;
  private final QueueQuotas quotas;
  private final ContactPairs contacts;
  private final Executor background;

  public MultiRecipientController(AccountsService accounts, MessageQueue queue, DeliveryService delivery,
      RateLimiter sendLimiter, ServerMetrics metrics, Clock clock, MessageController.Limits limits,
      QueueQuotas quotas, ContactPairs contacts, Executor background) {
    this.accounts = accounts;
    this.queue = queue;
    this.delivery = delivery;
    this.sendLimiter = sendLimiter;
    this.metrics = metrics;
    this.clock = clock;
    this.limits = limits;
    this.quotas = quotas;
    this.contacts = contacts;
    this.background = background;
  }

  public void register(Router router) {
    router.addInline(Route.SEND_MULTI_RECIPIENT, (request, params) -> send(request));
  }

  private CompletableFuture<ApiResponse> send(ApiRequest request) throws ApiException {
    AuthenticatedDevice sender = request.requireDevice();
    sendLimiter.check(sender.address().toString());
    MultiRecipientMessageRequest body = BodyCodec.parse(request, MultiRecipientMessageRequest.getDefaultInstance());
    checkShape(body);
    String senderNumber = accounts.find(sender.accountId()).map(Account::number)
        .orElseThrow(ApiException::unauthorized);
    List<DeviceAddress> devices = checkDevices(body, sender);

    long now = clock.millis();
    Envelope.Builder template = Envelope.newBuilder()
        .setType(Envelope.Type.SENDER_KEY)
        .setSourceAccount(sender.accountId())
        .setSourceNumber(senderNumber)
        .setSourceDevice(sender.deviceId())
        .setServerTimestamp(now)
        .setClientTimestamp(body.getTimestamp())
        .setContent(body.getContent())
        .setUrgent(body.getUrgent());
    if (body.getEphemeral()) {
      int pushed = 0;
      for (DeviceAddress device : devices) {
        byte[] envelope = template.setDestinationAccount(device.accountId())
            .setDestinationDevice(device.deviceId()).setEphemeral(true).build().toByteArray();
        if (delivery.pushEphemeral(device, envelope)) {
          pushed++;
        }
      }
      return CompletableFuture.completedFuture(
          ApiResponse.ok(MultiRecipientMessageResponse.newBuilder().setCopies(pushed).build()));
    }

    String from = sender.accountId();
    quotas.checkServerRoom((long) body.getContent().size() * devices.size());
    Set<String> overStrangerShare = new HashSet<>();
    List<QueuedMessage> copies = new ArrayList<>(devices.size());
    long expiresAt = now + limits.queueTtl().toMillis();
    for (DeviceAddress device : devices) {
      long depth = queue.depth(device);
      quotas.checkDeviceRoom(device, depth);
      boolean own = device.accountId().equals(from);
      if (!own && quotas.overStrangerShare(device, depth, from)) {
        overStrangerShare.add(device.accountId());
      }
      String guid = Guids.random();
      copies.add(new QueuedMessage(queue.nextId(), device, guid, now, expiresAt,
          template.setDestinationAccount(device.accountId()).setDestinationDevice(device.deviceId())
              .setServerGuid(guid).build().toByteArray()));
    }
    MultiRecipientMessageResponse answer = MultiRecipientMessageResponse.newBuilder().setCopies(copies.size())
        .build();
    if (overStrangerShare.isEmpty()) {
      return store(copies, answer, from);
    }
    // As for 1:1 sends: past a stranger's share only someone the recipient has written to gets in.
    return CompletableFuture.supplyAsync(() -> {
      for (String to : overStrangerShare) {
        if (!contacts.hasSent(to, from)) {
          return to;
        }
      }
      return null;
    }, background).thenCompose(refused -> {
      if (refused != null) {
        DeviceAddress full = copies.stream().map(QueuedMessage::destination)
            .filter(d -> d.accountId().equals(refused)).findFirst().orElseThrow();
        throw new CompletionException(quotas.strangerRefused(full));
      }
      return store(copies, answer, from);
    });
  }

  private CompletableFuture<ApiResponse> store(List<QueuedMessage> copies, MultiRecipientMessageResponse answer,
      String from) {
    // The insert completes on the queue's writer thread, which only hands the pushes to the connections' event
    // loops (in storage order, so each device's copies stay in order) and answers: all copies are durable by now.
    return queue.insert(copies).thenApply(stored -> {
      metrics.messagesIn(copies.size());
      for (QueuedMessage copy : copies) {
        quotas.accepted(copy.destination(), from);
      }
      delivery.storedInParallel(copies);
      return ApiResponse.ok(answer);
    });
  }

  private void checkShape(MultiRecipientMessageRequest body) throws ApiException {
    if (body.getContent().isEmpty()) {
      throw ApiException.badRequest("empty_content", "A multi-recipient send needs a ciphertext");
    }
    if (body.getContent().size() > limits.maxContentBytes()) {
      throw new ApiException(413, "too_large", "The ciphertext is " + body.getContent().size()
          + " bytes; the limit is " + limits.maxContentBytes());
    }
    if (body.getRecipientsCount() == 0) {
      throw ApiException.badRequest("no_recipients", "A multi-recipient send needs at least one recipient");
    }
    if (body.getRecipientsCount() > MAX_RECIPIENT_ACCOUNTS) {
      throw new ApiException(413, "too_many_recipients", body.getRecipientsCount()
          + " recipient accounts; the limit is " + MAX_RECIPIENT_ACCOUNTS);
    }
    int devices = 0;
    for (MultiRecipientMessageRequest.Recipient recipient : body.getRecipientsList()) {
      if (recipient.getDeviceIdsCount() != recipient.getRegistrationIdsCount()) {
        throw ApiException.badRequest("bad_recipient", "Recipient " + recipient.getAccountId()
            + " needs one registration id per device id");
      }
      devices += recipient.getDeviceIdsCount();
    }
    if (devices > MAX_RECIPIENT_DEVICES) {
      throw new ApiException(413, "too_many_recipients", devices + " recipient devices; the limit is "
          + MAX_RECIPIENT_DEVICES);
    }
  }

  /**
   * Each listed account must exist and be listed with exactly its devices (one's own account: every other device)
   * and their current registration ids; otherwise 404, or 409 with a mismatch per account that differs.
   */
  private List<DeviceAddress> checkDevices(MultiRecipientMessageRequest body, AuthenticatedDevice sender)
      throws ApiException {
    List<DeviceAddress> devices = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    MultiRecipientMismatch.Builder mismatches = MultiRecipientMismatch.newBuilder();
    for (MultiRecipientMessageRequest.Recipient recipient : body.getRecipientsList()) {
      if (!seen.add(recipient.getAccountId())) {
        throw ApiException.badRequest("duplicate_recipient", "Account " + recipient.getAccountId()
            + " is listed twice");
      }
      Account account = accounts.find(recipient.getAccountId()).orElseThrow(() -> ApiException.notFound(
          "unknown_recipient", "No account " + recipient.getAccountId()));
      int excluded = account.accountId().equals(sender.accountId()) ? sender.deviceId() : 0;
      DeviceMismatch mismatch = mismatch(recipient, account, excluded);
      if (mismatch != null) {
        mismatches.addAccounts(MultiRecipientMismatch.AccountMismatch.newBuilder()
            .setAccountId(account.accountId()).setMismatch(mismatch));
        continue;
      }
      for (int device : recipient.getDeviceIdsList()) {
        devices.add(new DeviceAddress(account.accountId(), device));
      }
    }
    if (mismatches.getAccountsCount() > 0) {
      throw ApiException.withBody(409, "device_mismatch", mismatches.getAccountsCount()
          + " recipient(s) have other devices than the request lists", mismatches.build());
    }
    return devices;
  }

  private static DeviceMismatch mismatch(MultiRecipientMessageRequest.Recipient recipient, Account account,
      int excludedDevice) throws ApiException {
    Map<Integer, Integer> provided = new HashMap<>();
    for (int i = 0; i < recipient.getDeviceIdsCount(); i++) {
      if (provided.put(recipient.getDeviceIds(i), recipient.getRegistrationIds(i)) != null) {
        throw ApiException.badRequest("duplicate_device", "Device " + recipient.getDeviceIds(i) + " of "
            + recipient.getAccountId() + " is listed twice");
      }
    }
    TreeSet<Integer> missing = new TreeSet<>();
    TreeSet<Integer> stale = new TreeSet<>();
    DeviceMismatch.Builder mismatch = DeviceMismatch.newBuilder();
    for (Device device : account.devices()) {
      if (device.deviceId() == excludedDevice) {
        continue;
      }
      mismatch.addDevices(DeviceInfo.newBuilder()
          .setDeviceId(device.deviceId()).setRegistrationId(device.registrationId()).build());
      Integer registrationId = provided.remove(device.deviceId());
      if (registrationId == null) {
        missing.add(device.deviceId());
      } else if (registrationId != device.registrationId()) {
        stale.add(device.deviceId());
      }
    }
    if (missing.isEmpty() && stale.isEmpty() && provided.isEmpty()) {
      return null;
    }
    return mismatch.addAllMissingDevices(missing).addAllExtraDevices(new TreeSet<>(provided.keySet()))
        .addAllStaleDevices(stale).build();
  }
}
