package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.net.URI;
import java.net.http.WebSocketHandshakeException;
import java.time.Duration;
import java.util.Map;
import org.assertj.core.api.Assertions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.protocol.DeviceList;
import org.parley.protocol.DeviceMismatch;
import org.parley.protocol.Envelope;
import org.parley.protocol.LinkDeviceRequest;
import org.parley.protocol.LinkDeviceResponse;
import org.parley.protocol.LinkingCode;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.ProvisioningAddress;
import org.parley.protocol.ProvisioningMessageRequest;
import org.parley.protocol.SendMessageRequest;
import org.parley.protocol.SetKeysRequest;
import org.parley.protocol.SignedPreKey;
import org.parley.protocol.WebSocketRequest;
import org.parley.server.storage.DeviceAddress;
import org.parley.server.support.Api;
import org.parley.server.support.TestServer;
import org.parley.server.support.WsClient;
import org.signal.libsignal.protocol.IdentityKeyPair;
import org.signal.libsignal.protocol.ecc.ECKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyPair;
import org.signal.libsignal.protocol.kem.KEMKeyType;

/** Provisioning sockets, linking codes, linked-device registration and unlinking, over real HTTP and WebSockets. */
class LinkingTest {

  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private Api api() {
    return server.api;
  }

  private URI provisioningUri() {
    return URI.create("ws://127.0.0.1:" + server.port() + "/v1/websocket/provisioning");
  }

  /** A registered primary that has uploaded its identity key. */
  private record Primary(Api.Device device, IdentityKeyPair identity) {}

  private Primary primary(String number) {
    Api.Device device = api().register(number);
    IdentityKeyPair identity = IdentityKeyPair.generate();
    Api.Response r = api().call("PUT", "/v1/keys", SetKeysRequest.newBuilder()
        .setIdentityKey(ByteString.copyFrom(identity.getPublicKey().serialize())).build(), device);
    assertThat(r.status()).isEqualTo(204);
    return new Primary(device, identity);
  }

  private String code(Api.Device primary) {
    Api.Response r = api().call("POST", "/v1/devices/linking-code", null, primary);
    assertThat(r.status()).as("%s", r.status() == 200 ? "" : r.error()).isEqualTo(200);
    return r.as(LinkingCode.getDefaultInstance()).getCode();
  }

  private static LinkDeviceRequest linkRequest(String code, IdentityKeyPair signer, String password) {
    byte[] ec = ECKeyPair.generate().getPublicKey().serialize();
    byte[] kem = KEMKeyPair.generate(KEMKeyType.KYBER_1024).getPublicKey().serialize();
    return LinkDeviceRequest.newBuilder().setLinkingCode(code).setPassword(password).setRegistrationId(77)
        .setName("desktop")
        .setSignedPreKey(SignedPreKey.newBuilder().setKeyId(1).setPublicKey(ByteString.copyFrom(ec))
            .setSignature(ByteString.copyFrom(signer.getPrivateKey().calculateSignature(ec))))
        .setPqLastResortPreKey(SignedPreKey.newBuilder().setKeyId(2).setPublicKey(ByteString.copyFrom(kem))
            .setSignature(ByteString.copyFrom(signer.getPrivateKey().calculateSignature(kem))))
        .build();
  }

  private Api.Device link(Primary primary, String password) {
    Api.Response r = api().call("PUT", "/v1/devices/link",
        linkRequest(code(primary.device()), primary.identity(), password), null);
    assertThat(r.status()).as("%s", r.status() == 200 ? "" : r.error()).isEqualTo(200);
    LinkDeviceResponse linked = r.as(LinkDeviceResponse.getDefaultInstance());
    return new Api.Device(linked.getAccountId(), linked.getDeviceId(), password, linked.getNumber(), 77);
  }

  @Test
  void aProvisioningSocketGetsAnAddressAndExactlyOneRelayedMessageThenCloses() throws Exception {
    server = TestServer.start();
    Primary alice = primary("+15554440001");
    try (WsClient socket = WsClient.connect(provisioningUri(), (String) null)) {
      WebSocketRequest first = socket.nextServerRequest(Duration.ofSeconds(10));
      assertThat(first.getPath()).isEqualTo("/v1/address");
      String address = ProvisioningAddress.parseFrom(first.getBody()).getAddress();
      assertThat(address).hasSizeGreaterThanOrEqualTo(22);

      ProvisioningMessageRequest message =
          ProvisioningMessageRequest.newBuilder().setBody(ByteString.copyFromUtf8("sealed")).build();
      assertThat(api().call("PUT", "/v1/provisioning/" + address, message, null).status()).isEqualTo(401);
      assertThat(api().call("PUT", "/v1/provisioning/" + address,
          ProvisioningMessageRequest.getDefaultInstance(), alice.device()).status()).isEqualTo(400);
      assertThat(api().call("PUT", "/v1/provisioning/" + address, message, alice.device()).status())
          .isEqualTo(204);

      WebSocketRequest relayed = socket.nextServerRequest(Duration.ofSeconds(10));
      assertThat(relayed.getPath()).isEqualTo("/v1/message");
      assertThat(ProvisioningMessageRequest.parseFrom(relayed.getBody()).getBody().toStringUtf8()).isEqualTo("sealed");
      assertThat(socket.awaitClose().code()).isEqualTo(1000);
      // One-time: the address is gone with its socket.
      Api.Response again = api().call("PUT", "/v1/provisioning/" + address, message, alice.device());
      assertThat(again.status()).isEqualTo(404);
      assertThat(again.error().getCode()).isEqualTo("unknown_address");
    }
  }

  @Test
  void aProvisioningAddressLivesOnlyWhileItsSocketIsOpen() throws Exception {
    server = TestServer.start(Map.of("PARLEY_LINKING_PROVISIONING_LIFETIME", "500ms"));
    Primary alice = primary("+15554440002");
    WsClient socket = WsClient.connect(provisioningUri(), (String) null);
    String address = ProvisioningAddress.parseFrom(socket.nextServerRequest(Duration.ofSeconds(10)).getBody())
        .getAddress();
    assertThat(socket.awaitClose().code()).isEqualTo(4408);
    ProvisioningMessageRequest message =
        ProvisioningMessageRequest.newBuilder().setBody(ByteString.copyFromUtf8("late")).build();
    assertThat(api().call("PUT", "/v1/provisioning/" + address, message, alice.device()).status()).isEqualTo(404);

    WsClient closedByClient = WsClient.connect(provisioningUri(), (String) null);
    String second = ProvisioningAddress.parseFrom(closedByClient.nextServerRequest(Duration.ofSeconds(10))
        .getBody()).getAddress();
    assertThat(second).isNotEqualTo(address);
    closedByClient.close();
    Awaitility.await().atMost(Duration.ofSeconds(10)).until(() ->
        api().call("PUT", "/v1/provisioning/" + second, message, alice.device()).status() == 404);
  }

  @Test
  void aLinkedDeviceRegistersWithAOneTimeCodeAndSignedKeys() throws Exception {
    server = TestServer.start();
    Primary alice = primary("+15554440003");
    Api.Device desktop = link(alice, "desktop-password-0001");
    assertThat(desktop.deviceId()).isEqualTo(2);
    assertThat(desktop.number()).isEqualTo("+15554440003");
    // Its own credentials work.
    assertThat(api().call("GET", "/v1/accounts/me", null, desktop).status()).isEqualTo(200);
    DeviceList devices = api().call("GET", "/v1/devices/" + alice.device().accountId(), null, desktop)
        .as(DeviceList.getDefaultInstance());
    assertThat(devices.getDevicesList()).extracting(d -> d.getDeviceId()).containsExactly(1, 2);
    assertThat(devices.getDevices(1).getName()).isEqualTo("desktop");

    // Senders to the account now have to include device 2: the 409 says so.
    Api.Device bob = api().register("+15554440004");
    SendMessageRequest onlyPrimary = SendMessageRequest.newBuilder().setTimestamp(1)
        .addMessages(OutgoingMessage.newBuilder().setType(Envelope.Type.CIPHERTEXT).setDestinationDevice(1)
            .setDestinationRegistrationId(alice.device().registrationId()).setContent(WsClient.bytes("x")))
        .build();
    Api.Response mismatch = api().call("PUT", "/v1/messages/" + alice.device().accountId(), onlyPrimary, bob);
    assertThat(mismatch.status()).isEqualTo(409);
    assertThat(mismatch.as(DeviceMismatch.getDefaultInstance()).getMissingDevicesList()).containsExactly(2);
  }

  @Test
  void reusedForgedExpiredAndWronglySignedLinkingCodesAreRefused() throws Exception {
    server = TestServer.start();
    Primary alice = primary("+15554440005");

    String code = code(alice.device());
    assertThat(api().call("PUT", "/v1/devices/link", linkRequest(code, alice.identity(), "password-number-one"),
        null).status()).isEqualTo(200);
    Api.Response reused = api().call("PUT", "/v1/devices/link",
        linkRequest(code, alice.identity(), "password-number-two"), null);
    assertThat(reused.status()).isEqualTo(403);
    assertThat(reused.error().getCode()).isEqualTo("invalid_linking_code");

    Api.Response forged = api().call("PUT", "/v1/devices/link",
        linkRequest(code.substring(1) + "A", alice.identity(), "password-number-two"), null);
    assertThat(forged.status()).isEqualTo(403);
    assertThat(forged.error().getCode()).isEqualTo("invalid_linking_code");

    // Keys signed by some other identity: refused, and the code is not used up by the failed attempt.
    String fresh = code(alice.device());
    Api.Response badSignature = api().call("PUT", "/v1/devices/link",
        linkRequest(fresh, IdentityKeyPair.generate(), "password-number-two"), null);
    assertThat(badSignature.status()).isEqualTo(403);
    assertThat(badSignature.error().getCode()).isEqualTo("invalid_signature");
    LinkDeviceRequest garbage = linkRequest(fresh, alice.identity(), "password-number-two").toBuilder()
        .setSignedPreKey(SignedPreKey.newBuilder().setKeyId(1).setPublicKey(WsClient.bytes("not a key"))
            .setSignature(ByteString.copyFrom(new byte[64])))
        .build();
    assertThat(api().call("PUT", "/v1/devices/link", garbage, null).error().getCode()).isEqualTo("invalid_key");
    assertThat(api().call("PUT", "/v1/devices/link", linkRequest(fresh, alice.identity(), "short"), null)
        .error().getCode()).isEqualTo("invalid_password");

    server.clock.advance(Duration.ofMinutes(10).plusSeconds(1));
    Api.Response expired = api().call("PUT", "/v1/devices/link",
        linkRequest(fresh, alice.identity(), "password-number-two"), null);
    assertThat(expired.status()).isEqualTo(410);
    assertThat(expired.error().getCode()).isEqualTo("linking_code_expired");
  }

  @Test
  void onlyThePrimaryIssuesCodesAndAtMostFiveDevicesAreLinked() throws Exception {
    server = TestServer.start();
    Primary alice = primary("+15554440006");
    Api.Device second = link(alice, "linked-device-pass-2");
    Api.Response fromLinked = api().call("POST", "/v1/devices/linking-code", null, second);
    assertThat(fromLinked.status()).isEqualTo(403);
    assertThat(fromLinked.error().getCode()).isEqualTo("primary_only");
    Api.Response relayFromLinked = api().call("PUT", "/v1/provisioning/abcdefghijklmnopqrstuv",
        ProvisioningMessageRequest.newBuilder().setBody(ByteString.copyFromUtf8("x")).build(), second);
    assertThat(relayFromLinked.status()).isEqualTo(403);
    assertThat(api().call("POST", "/v1/devices/linking-code", null, null).status()).isEqualTo(401);

    for (int i = 3; i <= 6; i++) {
      assertThat(link(alice, "linked-device-pass-" + i).deviceId()).isEqualTo(i);
    }
    Api.Response sixth = api().call("POST", "/v1/devices/linking-code", null, alice.device());
    assertThat(sixth.status()).isEqualTo(409);
    assertThat(sixth.error().getCode()).isEqualTo("device_limit");

    // A code issued while there was room does not get past the limit either.
    Primary bob = primary("+15554440007");
    String early = code(bob.device());
    for (int i = 2; i <= 6; i++) {
      link(bob, "bob-device-password-" + i);
    }
    Api.Response late = api().call("PUT", "/v1/devices/link",
        linkRequest(early, bob.identity(), "bob-device-password-7"), null);
    assertThat(late.status()).isEqualTo(409);
  }

  @Test
  void anUnlinkedDeviceIsLockedOutAtOnce() throws Exception {
    server = TestServer.start();
    Primary alice = primary("+15554440008");
    Api.Device desktop = link(alice, "desktop-password-0002");
    Api.Device bob = api().register("+15554440009");
    // Something waits in its queue.
    SendMessageRequest toBoth = SendMessageRequest.newBuilder().setTimestamp(5)
        .addMessages(OutgoingMessage.newBuilder().setType(Envelope.Type.CIPHERTEXT).setDestinationDevice(1)
            .setDestinationRegistrationId(alice.device().registrationId()).setContent(WsClient.bytes("a")))
        .addMessages(OutgoingMessage.newBuilder().setType(Envelope.Type.CIPHERTEXT).setDestinationDevice(2)
            .setDestinationRegistrationId(77).setContent(WsClient.bytes("b")))
        .build();
    assertThat(api().call("PUT", "/v1/messages/" + alice.device().accountId(), toBoth, bob).status())
        .isEqualTo(200);
    DeviceAddress desktopAddress = new DeviceAddress(desktop.accountId(), 2);
    assertThat(server.queue().depth(desktopAddress)).isEqualTo(1);

    WsClient connection = WsClient.connect(server.webSocketUri(), desktop);
    WebSocketRequest delivery = connection.nextDelivery(Duration.ofSeconds(10));
    assertThat(WsClient.envelope(delivery).getContent().toStringUtf8()).isEqualTo("b");
    // Not acknowledged: still queued when the unlink comes.

    assertThat(api().call("DELETE", "/v1/devices/2", null, desktop).status()).isEqualTo(403);
    assertThat(api().call("DELETE", "/v1/devices/1", null, alice.device()).error().getCode())
        .isEqualTo("cannot_unlink_primary");
    assertThat(api().call("DELETE", "/v1/devices/9", null, alice.device()).status()).isEqualTo(404);
    assertThat(api().call("DELETE", "/v1/devices/2", null, alice.device()).status()).isEqualTo(204);

    assertThat(connection.awaitClose().code()).isEqualTo(4401);
    assertThat(api().call("GET", "/v1/accounts/me", null, desktop).status()).isEqualTo(401);
    assertThat(server.queue().depth(desktopAddress)).isZero();
    DeviceList devices = api().call("GET", "/v1/devices/" + alice.device().accountId(), null, alice.device())
        .as(DeviceList.getDefaultInstance());
    assertThat(devices.getDevicesList()).extracting(d -> d.getDeviceId()).containsExactly(1);
    Api.Response stale = api().call("PUT", "/v1/messages/" + alice.device().accountId(), toBoth, bob);
    assertThat(stale.status()).isEqualTo(409);
    assertThat(stale.as(DeviceMismatch.getDefaultInstance()).getExtraDevicesList()).containsExactly(2);
  }

  @Test
  void oneAddressCannotOpenProvisioningSocketsWithoutLimit() throws Exception {
    server = TestServer.start(Map.of("PARLEY_RATE_LIMITS_PROVISIONING_PER_IP", "2/10m"));
    try (WsClient first = WsClient.connect(provisioningUri(), (String) null);
        WsClient second = WsClient.connect(provisioningUri(), (String) null)) {
      assertThat(first.nextServerRequest(Duration.ofSeconds(10)).getPath()).isEqualTo("/v1/address");
      assertThat(second.nextServerRequest(Duration.ofSeconds(10)).getPath()).isEqualTo("/v1/address");
      Throwable refused = Assertions.catchThrowable(
          () -> WsClient.connect(provisioningUri(), (String) null));
      assertThat(refused).hasCauseInstanceOf(WebSocketHandshakeException.class);
      assertThat(((WebSocketHandshakeException) refused.getCause()).getResponse().statusCode())
          .isEqualTo(429);
    }
  }
}
