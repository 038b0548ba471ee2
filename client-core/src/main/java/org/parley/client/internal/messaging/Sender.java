package org.parley.client.internal.messaging;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;
import org.parley.client.api.NetworkException;
import org.parley.client.internal.account.AccountService;
import org.parley.client.internal.net.ApiFailure;
import org.parley.client.internal.net.RestClient;
import org.parley.client.internal.net.WebSocketTransport;
import org.parley.client.internal.store.AccountTable;
import org.parley.client.internal.store.ProtocolStore;
import org.parley.protocol.DeviceMismatch;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.Route;
import org.parley.protocol.SendMessageRequest;
import org.parley.protocol.SendMessageResponse;
import org.signal.libsignal.protocol.SignalProtocolAddress;

/**
 * Sends one plaintext to every device of an account: starts sessions where there are none, encrypts per device,
 * and on 409 (missing, extra or stale devices) corrects the sessions and tries again.
 */
public final class Sender {

  private static final int MAX_MISMATCH_RETRIES = 3;

  private final SessionCrypto crypto;
  private final ProtocolStore store;
  private final RestClient rest;
  private final WebSocketTransport transport;
  private final AccountService accounts;

  public Sender(SessionCrypto crypto, ProtocolStore store, RestClient rest, WebSocketTransport transport,
      AccountService accounts) {
    this.crypto = crypto;
    this.transport = transport;
    this.store = store;
    this.rest = rest;
    this.accounts = accounts;
  }

  /**
   * Sends; returns the server's answer, or null when {@code accountId} is our own and we know of no other device.
   *
   * @param knownOwnDevices for our own account (sync copies): the other devices the server listed, asked only then
   *     (sessions start on demand)
   */
  public SendMessageResponse send(String accountId, byte[] plaintext, long timestamp, boolean ephemeral,
      Supplier<Set<Integer>> knownOwnDevices) throws ApiFailure, NetworkException {
    return send(accountId, plaintext, timestamp, ephemeral, false, knownOwnDevices);
  }

  /** As {@link #send(String, byte[], long, boolean, Supplier)}, marked urgent (calls) when {@code urgent}. */
  public SendMessageResponse send(String accountId, byte[] plaintext, long timestamp, boolean ephemeral,
      boolean urgent, Supplier<Set<Integer>> knownOwnDevices) throws ApiFailure, NetworkException {
    for (int attempt = 0; ; attempt++) {
      Set<Integer> devices = devices(accountId, knownOwnDevices);
      if (devices.isEmpty() && isSelf(accountId)) {
        return null;
      }
      SendMessageRequest request = encrypt(accountId, devices, plaintext, timestamp, ephemeral, urgent);
      try {
        return rest.call(Route.SEND_MESSAGE, request, SendMessageResponse.getDefaultInstance(), true, accountId);
      } catch (ApiFailure failure) {
        if (failure.status() != 409 || attempt >= MAX_MISMATCH_RETRIES) {
          throw failure;
        }
        fixDevices(accountId, failure);
      }
    }
  }

  /** Whether {@code accountId} is this device's own account (sync copies go to our other devices). */
  public boolean isSelf(String accountId) {
    return accounts.current().map(AccountTable.Row::accountId).filter(accountId::equals).isPresent();
  }

  /**
   * The devices of {@code accountId} to encrypt for, starting sessions (a network call) where there are none; empty
   * when {@code accountId} is our own and we know of no other device.
   */
  public Set<Integer> devices(String accountId, Supplier<Set<Integer>> knownOwnDevices) throws ApiFailure,
      NetworkException {
    AccountTable.Row self = accounts.current().filter(AccountTable.Row::registered)
        .orElseThrow(() -> new IllegalStateException("sending before this device is registered"));
    Set<Integer> devices = new TreeSet<>(store.sessions.devicesWithSessions(accountId));
    if (accountId.equals(self.accountId())) {
      devices.remove(self.deviceId());
      for (int device : knownOwnDevices.get()) {
        if (device != self.deviceId() && !devices.contains(device)) {
          crypto.startSessions(accountId, Integer.toString(device));
          devices.add(device);
        }
      }
    } else if (devices.isEmpty()) {
      crypto.startSessions(accountId, SessionCrypto.ALL_DEVICES);
      devices.addAll(store.sessions.devicesWithSessions(accountId));
    }
    return devices;
  }

  /**
   * Encrypts {@code plaintext} for {@code devices} (the sessions advance: inside the caller's transaction, if any,
   * they commit with it) and returns the request that sends it.
   */
  public SendMessageRequest encrypt(String accountId, Set<Integer> devices, byte[] plaintext, long timestamp,
      boolean ephemeral, boolean urgent) {
    List<OutgoingMessage> messages = crypto.encrypt(accountId, devices, plaintext);
    return SendMessageRequest.newBuilder().addAllMessages(messages).setTimestamp(timestamp)
        .setEphemeral(ephemeral).setUrgent(urgent).build();
  }

  /**
   * Sends an encrypted {@code request} over the WebSocket without waiting: several may be in flight on the one
   * connection. The future fails with {@link ApiFailure} for non-2xx answers and {@link NetworkException} when the connection is lost first.
   */
  public CompletableFuture<SendMessageResponse> submit(String accountId, SendMessageRequest request) {
    return transport.request(Route.SEND_MESSAGE, request.toByteArray(), accountId)
        .handle((response, error) -> {
          if (error != null) {
            throw new CompletionException(new NetworkException("Lost the connection to the server while sending ("
                + error.getMessage() + ")", error));
          }
          if (response.getStatus() / 100 != 2) {
            throw new CompletionException(new ApiFailure(response.getStatus(), response.getBody().toByteArray()));
          }
          try {
            return SendMessageResponse.parseFrom(response.getBody());
          } catch (InvalidProtocolBufferException e) {
            throw new CompletionException(new NetworkException("The server's answer to a send is not a "
                + "SendMessageResponse", e));
          }
        });
  }

  /** Whether sends may go over the WebSocket ({@link #submit}) now: it is connected. */
  public boolean pipelining() {
    return transport.isConnected();
  }

  /** After a 409: drops the sessions of devices the server says are gone or stale, starts the missing ones. */
  public void fixDevices(String accountId, ApiFailure failure) throws ApiFailure, NetworkException {
    DeviceMismatch mismatch;
    try {
      mismatch = DeviceMismatch.parseFrom(failure.body());
    } catch (InvalidProtocolBufferException e) {
      throw new NetworkException("The server's 409 answer is not a DeviceMismatch", e);
    }
    for (int device : mismatch.getExtraDevicesList()) {
      store.deleteSession(new SignalProtocolAddress(accountId, device));
    }
    for (int device : mismatch.getStaleDevicesList()) {
      store.deleteSession(new SignalProtocolAddress(accountId, device));
      crypto.startSessions(accountId, Integer.toString(device));
    }
    for (int device : mismatch.getMissingDevicesList()) {
      crypto.startSessions(accountId, Integer.toString(device));
    }
  }
}
