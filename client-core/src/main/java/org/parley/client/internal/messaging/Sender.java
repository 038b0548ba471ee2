package org.parley.client.internal.messaging;

import com.google.protobuf.InvalidProtocolBufferException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.parley.client.api.NetworkException;
import org.parley.client.internal.account.AccountService;
import org.parley.client.internal.net.ApiFailure;
import org.parley.client.internal.net.RestClient;
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
  private final AccountService accounts;

  public Sender(SessionCrypto crypto, ProtocolStore store, RestClient rest, AccountService accounts) {
    this.crypto = crypto;
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
    AccountTable.Row self = accounts.current().filter(AccountTable.Row::registered)
        .orElseThrow(() -> new IllegalStateException("sending before this device is registered"));
    boolean own = accountId.equals(self.accountId());
    Set<Integer> ownDevices = own ? knownOwnDevices.get() : Set.of();
    for (int attempt = 0; ; attempt++) {
      Set<Integer> devices = new TreeSet<>(store.sessions.devicesWithSessions(accountId));
      if (own) {
        devices.remove(self.deviceId());
        for (int device : ownDevices) {
          if (device != self.deviceId() && !devices.contains(device)) {
            crypto.startSessions(accountId, Integer.toString(device));
            devices.add(device);
          }
        }
        if (devices.isEmpty()) {
          return null;
        }
      } else if (devices.isEmpty()) {
        crypto.startSessions(accountId, SessionCrypto.ALL_DEVICES);
        devices.addAll(store.sessions.devicesWithSessions(accountId));
      }
      List<OutgoingMessage> messages = crypto.encrypt(accountId, devices, plaintext);
      SendMessageRequest request = SendMessageRequest.newBuilder().addAllMessages(messages).setTimestamp(timestamp)
          .setEphemeral(ephemeral).setUrgent(urgent).build();
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

  private void fixDevices(String accountId, ApiFailure failure) throws ApiFailure, NetworkException {
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
