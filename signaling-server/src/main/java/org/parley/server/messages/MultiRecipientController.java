package org.parley.server.messages;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
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
import org.parley.protocol.RecipientSetRequest;
import org.parley.protocol.RecipientSetResponse;
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
 * {@code PUT /v1/recipient-sets} registers the recipient list once, so each message names it by a short id and the
 * sender's upload does not grow with the group; every send checks the set against the current devices.
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
  private final RecipientSets sets;

  public MultiRecipientController(AccountsService accounts, MessageQueue queue, DeliveryService delivery,
      RateLimiter sendLimiter, ServerMetrics metrics, Clock clock, MessageController.Limits limits,
      QueueQuotas quotas, ContactPairs contacts, Executor background, RecipientSets sets) {
    this.sets = sets;
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
    router.addInline(Route.REGISTER_RECIPIENT_SET, (request, params) -> registerSet(request));
  }

  private CompletableFuture<ApiResponse> registerSet(ApiRequest request) throws ApiException {
    AuthenticatedDevice sender = request.requireDevice();
    sendLimiter.check(sender.address().toString());
    RecipientSetRequest body = BodyCodec.parse(request, RecipientSetRequest.getDefaultInstance());
    checkRecipientsShape(body.getRecipientsList());
    List<RecipientSets.Member> members = new ArrayList<>(body.getRecipientsCount());
    checkDevices(body.getRecipientsList(), sender, members);
    RecipientSets.RecipientSet set;
    try {
      set = sets.register(sender.address(), members);
    } catch (RecipientSets.FullException e) {
      throw ApiException.unavailable("recipient_sets_full", e.getMessage() + "; send with the recipients listed",
          60);
    }
    return CompletableFuture.completedFuture(ApiResponse.ok(RecipientSetResponse.newBuilder().setId(set.id())
        .setDevices(set.devices()).setIdleLifetimeMillis(sets.limits().idleLifetime().toMillis()).build()));
  }

  private CompletableFuture<ApiResponse> send(ApiRequest request) throws ApiException {
    AuthenticatedDevice sender = request.requireDevice();
    sendLimiter.check(sender.address().toString());
    MultiRecipientMessageRequest body = BodyCodec.parse(request, MultiRecipientMessageRequest.getDefaultInstance());
    checkShape(body);
    String senderNumber = accounts.find(sender.accountId()).map(Account::number)
        .orElseThrow(ApiException::unauthorized);
    List<DeviceAddress> devices;
    if (body.getRecipientSet().isEmpty()) {
      devices = checkDevices(body.getRecipientsList(), sender, null);
    } else {
      RecipientSets.RecipientSet set = sets.find(sender.address(), body.getRecipientSet()).orElseThrow(() ->
          new ApiException(410, "unknown_recipient_set", "This device has no recipient set with that id (expired,"
              + " evicted or never registered here); register it again"));
      devices = checkSet(set, sender);
    }

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
    EnvelopeCopies envelopes = new EnvelopeCopies(template.build());
    long expiresAt = now + limits.queueTtl().toMillis();
    for (DeviceAddress device : devices) {
      long depth = queue.depth(device);
      quotas.checkDeviceRoom(device, depth);
      boolean own = device.accountId().equals(from);
      if (!own && quotas.overStrangerShare(device, depth, from)) {
        overStrangerShare.add(device.accountId());
      }
      String guid = Guids.random();
      copies.add(new QueuedMessage(queue.nextId(), device, guid, now, expiresAt, envelopes.forDevice(device, guid)));
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
    if (!body.getRecipientSet().isEmpty()) {
      if (body.getRecipientsCount() > 0) {
        throw ApiException.badRequest("recipients_and_set", "List the recipients or name a recipient set, not both");
      }
      return;
    }
    checkRecipientsShape(body.getRecipientsList());
  }

  private static void checkRecipientsShape(List<MultiRecipientMessageRequest.Recipient> recipients)
      throws ApiException {
    if (recipients.isEmpty()) {
      throw ApiException.badRequest("no_recipients", "A multi-recipient send needs at least one recipient");
    }
    if (recipients.size() > MAX_RECIPIENT_ACCOUNTS) {
      throw new ApiException(413, "too_many_recipients", recipients.size()
          + " recipient accounts; the limit is " + MAX_RECIPIENT_ACCOUNTS);
    }
    int devices = 0;
    for (MultiRecipientMessageRequest.Recipient recipient : recipients) {
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
   * and their current registration ids; otherwise 404, or 409 with a mismatch per account that differs. Adds each
   * account's devices (sorted) to {@code members} when given.
   */
  private List<DeviceAddress> checkDevices(List<MultiRecipientMessageRequest.Recipient> recipients,
      AuthenticatedDevice sender, List<RecipientSets.Member> members) throws ApiException {
    List<DeviceAddress> devices = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    MultiRecipientMismatch.Builder mismatches = MultiRecipientMismatch.newBuilder();
    for (MultiRecipientMessageRequest.Recipient recipient : recipients) {
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
      if (members != null) {
        members.add(member(account.accountId(), recipient));
      }
    }
    if (mismatches.getAccountsCount() > 0) {
      throw ApiException.withBody(409, "device_mismatch", mismatches.getAccountsCount()
          + " recipient(s) have other devices than the request lists", mismatches.build());
    }
    return devices;
  }

  private static RecipientSets.Member member(String accountId, MultiRecipientMessageRequest.Recipient recipient) {
    int count = recipient.getDeviceIdsCount();
    long[] pairs = new long[count];
    for (int i = 0; i < count; i++) {
      pairs[i] = ((long) recipient.getDeviceIds(i) << 32) | (recipient.getRegistrationIds(i) & 0xffffffffL);
    }
    Arrays.sort(pairs); // device ids are distinct and unsigned 32-bit, so this sorts by device id
    int[] deviceIds = new int[count];
    int[] registrationIds = new int[count];
    for (int i = 0; i < count; i++) {
      deviceIds[i] = (int) (pairs[i] >>> 32);
      registrationIds[i] = (int) pairs[i];
    }
    return new RecipientSets.Member(accountId, deviceIds, registrationIds);
  }

  /**
   * A registered set against the accounts' current devices: the same answers as for a listed request (404 an account
   * gone, 409 a mismatch per account whose devices changed since), so the client fixes its sessions and registers
   * the set again.
   */
  private List<DeviceAddress> checkSet(RecipientSets.RecipientSet set, AuthenticatedDevice sender)
      throws ApiException {
    List<DeviceAddress> devices = new ArrayList<>(set.devices());
    MultiRecipientMismatch.Builder mismatches = null;
    for (RecipientSets.Member member : set.members()) {
      Account account = accounts.find(member.accountId()).orElseThrow(() -> ApiException.notFound(
          "unknown_recipient", "No account " + member.accountId() + " (it was in the recipient set)"));
      int excluded = account.accountId().equals(sender.accountId()) ? sender.deviceId() : 0;
      if (!sameDevices(member, account, excluded)) {
        MultiRecipientMessageRequest.Recipient.Builder listed = MultiRecipientMessageRequest.Recipient.newBuilder()
            .setAccountId(member.accountId());
        for (int i = 0; i < member.deviceIds().length; i++) {
          listed.addDeviceIds(member.deviceIds()[i]).addRegistrationIds(member.registrationIds()[i]);
        }
        if (mismatches == null) {
          mismatches = MultiRecipientMismatch.newBuilder();
        }
        mismatches.addAccounts(MultiRecipientMismatch.AccountMismatch.newBuilder()
            .setAccountId(account.accountId()).setMismatch(mismatch(listed.build(), account, excluded)));
        continue;
      }
      for (int device : member.deviceIds()) {
        devices.add(new DeviceAddress(account.accountId(), device));
      }
    }
    if (mismatches != null) {
      throw ApiException.withBody(409, "device_mismatch", mismatches.getAccountsCount()
          + " recipient(s) have other devices than the recipient set names", mismatches.build());
    }
    return devices;
  }

  private static boolean sameDevices(RecipientSets.Member member, Account account, int excludedDevice) {
    int matched = 0;
    for (Device device : account.devices()) {
      if (device.deviceId() == excludedDevice) {
        continue;
      }
      int at = Arrays.binarySearch(member.deviceIds(), device.deviceId());
      if (at < 0 || member.registrationIds()[at] != device.registrationId()) {
        return false;
      }
      matched++;
    }
    return matched == member.deviceIds().length;
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
