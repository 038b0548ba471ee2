package org.parley.server.messages;

import com.google.protobuf.InvalidProtocolBufferException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.parley.protocol.DeviceInfo;
import org.parley.protocol.DeviceMismatch;
import org.parley.protocol.Envelope;
import org.parley.protocol.MessageList;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.Route;
import org.parley.protocol.SendMessageRequest;
import org.parley.protocol.SendMessageResponse;
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

/** Sending ({@code PUT /v1/messages/{accountId}}), polling and acknowledging over HTTP. */
public final class MessageController {

  /** Limits for messages; {@code maxContentBytes} applies to each per-device ciphertext. */
  public record Limits(Duration queueTtl, int maxContentBytes) {}

  private static final int POLL_PAGE = 100;

  private final AccountsService accounts;
  private final MessageQueue queue;
  private final DeliveryService delivery;
  private final RateLimiter sendLimiter;
  private final ServerMetrics metrics;
  private final Clock clock;
  private final Limits limits;
  private final ContactPairs contacts;
  private final Executor background;
  private final QueueQuotas quotas;

  /**
   * @param background where contact pairs are written and read (the send itself may run on a network thread)
   */
  public MessageController(AccountsService accounts, MessageQueue queue, DeliveryService delivery,
      RateLimiter sendLimiter, ServerMetrics metrics, Clock clock, Limits limits, QueueQuotas quotas,
      ContactPairs contacts, Executor background) {
    this.accounts = accounts;
    this.queue = queue;
    this.delivery = delivery;
    this.sendLimiter = sendLimiter;
    this.metrics = metrics;
    this.clock = clock;
    this.limits = limits;
    this.contacts = contacts;
    this.background = background;
    this.quotas = quotas;
  }

  public void register(Router router) {
    // Inline: the device list comes from the account cache and the durable write completes a future.
    router.addInline(Route.SEND_MESSAGE, (request, params) -> send(request, params.get(0)));
    router.add(Route.POLL_MESSAGES, (request, params) -> poll(request));
    router.add(Route.ACKNOWLEDGE_MESSAGE, (request, params) -> acknowledge(request, params.get(0)));
  }

  private CompletableFuture<ApiResponse> send(ApiRequest request, String destinationId) throws ApiException {
    AuthenticatedDevice sender = request.requireDevice();
    sendLimiter.check(sender.address().toString());
    SendMessageRequest body = BodyCodec.parse(request, SendMessageRequest.getDefaultInstance());
    Account destination = accounts.find(destinationId)
        .orElseThrow(() -> ApiException.notFound("unknown_recipient", "No account " + destinationId));
    boolean sync = destination.accountId().equals(sender.accountId());
    String senderNumber = accounts.find(sender.accountId()).map(Account::number).orElseThrow(ApiException::unauthorized);
    checkContents(body);
    checkDevices(body, destination, sync ? sender.deviceId() : 0);

    long now = clock.millis();
    if (body.getEphemeral()) {
      List<CompletableFuture<Boolean>> pushes = new ArrayList<>(body.getMessagesCount());
      for (OutgoingMessage message : body.getMessagesList()) {
        Envelope envelope = envelope(sender, senderNumber, destination, message, body, now, "").toBuilder()
            .setEphemeral(true).build();
        pushes.add(delivery.sendEphemeral(new DeviceAddress(destination.accountId(), message.getDestinationDevice()),
            envelope.toByteArray()));
      }
      return CompletableFuture.allOf(pushes.toArray(CompletableFuture[]::new)).thenApply(all -> {
        SendMessageResponse.Builder response = SendMessageResponse.newBuilder().setSync(sync);
        for (int i = 0; i < pushes.size(); i++) {
          if (pushes.get(i).join()) {
            response.addDeliveredDevices(body.getMessages(i).getDestinationDevice());
          }
        }
        return ApiResponse.ok(response.build());
      });
    }

    String from = sender.accountId();
    String to = destination.accountId();
    long bytes = 0;
    for (OutgoingMessage message : body.getMessagesList()) {
      bytes += message.getContent().size();
    }
    quotas.checkServerRoom(bytes);
    DeviceAddress overStrangerShare = null;
    List<QueuedMessage> copies = new ArrayList<>(body.getMessagesCount());
    SendMessageResponse.Builder response = SendMessageResponse.newBuilder().setSync(sync);
    for (OutgoingMessage message : body.getMessagesList()) {
      DeviceAddress address = new DeviceAddress(to, message.getDestinationDevice());
      long depth = queue.depth(address);
      quotas.checkDeviceRoom(address, depth);
      if (!sync && overStrangerShare == null && quotas.overStrangerShare(address, depth, from)) {
        overStrangerShare = address;
      }
      String guid = Guids.random();
      copies.add(new QueuedMessage(queue.nextId(), address, guid, now, now + limits.queueTtl().toMillis(),
          envelope(sender, senderNumber, destination, message, body, now, guid).toByteArray()));
      response.addServerGuids(guid);
    }
    SendMessageResponse answer = response.build();
    if (overStrangerShare == null) {
      return store(copies, answer, from, to, sync);
    }
    // Past a stranger's share only someone the recipient has written to gets in; asked off this network thread.
    DeviceAddress full = overStrangerShare;
    return CompletableFuture.supplyAsync(() -> contacts.hasSent(to, from), background).thenCompose(contact -> {
      if (!contact) {
        throw new CompletionException(quotas.strangerRefused(full));
      }
      return store(copies, answer, from, to, sync);
    });
  }

  private CompletableFuture<ApiResponse> store(List<QueuedMessage> copies, SendMessageResponse answer, String from,
      String to, boolean sync) {
    // A first message between two accounts records the pair before the sender hears "sent" (presence may be asked
    // for right after); later ones find it known. The write runs off this (possibly network) thread.
    CompletableFuture<Void> pairRecorded = sync || contacts.knownToBeRecorded(from, to)
        ? CompletableFuture.completedFuture(null)
        : CompletableFuture.runAsync(() -> contacts.record(from, to), background);
    return queue.insert(copies).thenCombine(pairRecorded, (stored, recorded) -> stored).thenApply(stored -> {
      metrics.messagesIn(copies.size());
      for (QueuedMessage copy : copies) {
        quotas.accepted(copy.destination(), from);
      }
      delivery.stored(copies);
      return ApiResponse.ok(answer);
    });
  }

  private void checkContents(SendMessageRequest body) throws ApiException {
    if (body.getMessagesCount() == 0) {
      throw ApiException.badRequest("no_messages", "A send needs one ciphertext per recipient device");
    }
    for (OutgoingMessage message : body.getMessagesList()) {
      if (message.getContent().isEmpty()) {
        throw ApiException.badRequest("empty_content", "Empty ciphertext for device " + message.getDestinationDevice());
      }
      if (message.getContent().size() > limits.maxContentBytes()) {
        throw new ApiException(413, "too_large", "Ciphertext for device " + message.getDestinationDevice() + " is "
            + message.getContent().size() + " bytes; the limit is " + limits.maxContentBytes());
      }
      if (message.getType() == Envelope.Type.TYPE_UNSPECIFIED || message.getType() == Envelope.Type.UNRECOGNIZED) {
        throw ApiException.badRequest("invalid_type", "Each message needs an envelope type");
      }
    }
  }

  /**
   * The request must carry exactly one copy for every device of the recipient (for one's own account: every other
   * device), with the registration ids the server knows; otherwise 409 with the right list.
   */
  private static void checkDevices(SendMessageRequest body, Account destination, int excludedDevice)
      throws ApiException {
    if (matchesExactly(body, destination, excludedDevice)) {
      return;
    }
    Map<Integer, Integer> provided = new HashMap<>();
    for (OutgoingMessage message : body.getMessagesList()) {
      if (provided.put(message.getDestinationDevice(), message.getDestinationRegistrationId()) != null) {
        throw ApiException.badRequest("duplicate_device",
            "Two ciphertexts for device " + message.getDestinationDevice());
      }
    }
    TreeSet<Integer> missing = new TreeSet<>();
    TreeSet<Integer> stale = new TreeSet<>();
    DeviceMismatch.Builder mismatch = DeviceMismatch.newBuilder();
    for (Device device : destination.devices()) {
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
    TreeSet<Integer> extra = new TreeSet<>(provided.keySet());
    if (mismatch.getDevicesCount() == 0) {
      throw ApiException.badRequest("no_other_devices", "Your account has no other device to send to");
    }
    if (!missing.isEmpty() || !extra.isEmpty() || !stale.isEmpty()) {
      throw ApiException.withBody(409, "device_mismatch", "The recipient's devices differ from the request",
          mismatch.addAllMissingDevices(missing).addAllExtraDevices(extra).addAllStaleDevices(stale).build());
    }
  }

  /** The common case, checked without allocating: one copy per expected device, registration ids current. */
  private static boolean matchesExactly(SendMessageRequest body, Account destination, int excludedDevice) {
    int expected = 0;
    for (Device device : destination.devices()) {
      if (device.deviceId() == excludedDevice) {
        continue;
      }
      expected++;
      int copies = 0;
      for (OutgoingMessage message : body.getMessagesList()) {
        if (message.getDestinationDevice() == device.deviceId()) {
          if (message.getDestinationRegistrationId() != device.registrationId()) {
            return false;
          }
          copies++;
        }
      }
      if (copies != 1) {
        return false;
      }
    }
    return expected > 0 && expected == body.getMessagesCount();
  }

  private static Envelope envelope(AuthenticatedDevice sender, String senderNumber, Account destination,
      OutgoingMessage message, SendMessageRequest request, long now, String guid) {
    return Envelope.newBuilder()
        .setType(message.getType())
        .setSourceAccount(sender.accountId())
        .setSourceNumber(senderNumber)
        .setSourceDevice(sender.deviceId())
        .setDestinationAccount(destination.accountId())
        .setDestinationDevice(message.getDestinationDevice())
        .setServerTimestamp(now)
        .setServerGuid(guid)
        .setClientTimestamp(request.getTimestamp())
        .setContent(message.getContent())
        .setUrgent(request.getUrgent())
        .build();
  }

  private CompletableFuture<ApiResponse> poll(ApiRequest request) throws ApiException {
    AuthenticatedDevice device = request.requireDevice();
    List<QueuedMessage> messages = queue.fetch(device.address(), 0, POLL_PAGE + 1);
    MessageList.Builder list = MessageList.newBuilder().setMore(messages.size() > POLL_PAGE);
    for (QueuedMessage message : messages.subList(0, Math.min(POLL_PAGE, messages.size()))) {
      try {
        list.addMessages(Envelope.parseFrom(message.envelope()));
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalStateException("stored envelope " + message.guid() + " is corrupt", e);
      }
    }
    return CompletableFuture.completedFuture(ApiResponse.ok(list.build()));
  }

  private CompletableFuture<ApiResponse> acknowledge(ApiRequest request, String guid) throws ApiException {
    AuthenticatedDevice device = request.requireDevice();
    return queue.deleteByGuid(device.address(), guid).thenApply(found -> {
      if (!found) {
        return ApiException.notFound("no_such_message", "No queued message " + guid + " for this device").toResponse();
      }
      return ApiResponse.noContent();
    });
  }
}
