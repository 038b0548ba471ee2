package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.protocol.Envelope;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.SendMessageRequest;
import org.parley.protocol.WebSocketRequest;
import org.parley.server.storage.DeviceAddress;
import org.parley.server.support.Api;
import org.parley.server.support.TestServer;
import org.parley.server.support.WsClient;

/**
 * Issue #17, finding 4: strangers (senders the recipient never wrote to) get only a share of an offline device's
 * queue, so they cannot keep a contact's messages out; the queue as a whole stays within a byte budget and leaves
 * the disk some room. Each refusal is a 507 with its own code; the sender's client keeps the message and retries.
 */
class QueueSharesTest {

  private static final Duration WAIT = Duration.ofSeconds(10);

  private TestServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
  }

  private static SendMessageRequest message(Api.Device to, String text) {
    return SendMessageRequest.newBuilder()
        .setTimestamp(System.currentTimeMillis())
        .addMessages(OutgoingMessage.newBuilder().setType(Envelope.Type.CIPHERTEXT).setDestinationDevice(1)
            .setDestinationRegistrationId(to.registrationId()).setContent(WsClient.bytes(text)))
        .build();
  }

  private Api.Response send(Api.Device from, Api.Device to, String text) {
    return server.api.call("PUT", "/v1/messages/" + to.accountId(), message(to, text), from);
  }

  /** The status, or status and error code, of each send. */
  private List<String> sendMany(Api.Device from, Api.Device to, int count) {
    List<String> outcomes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Api.Response response = send(from, to, from.number() + " #" + i);
      outcomes.add(response.status() == 200 ? "200" : response.status() + " " + response.error().getCode());
    }
    return outcomes;
  }

  private long depth(Api.Device device) {
    return server.queue().depth(new DeviceAddress(device.accountId(), device.deviceId()));
  }

  /** Connects as the device, acknowledges everything waiting, and disconnects. */
  private void drain(Api.Device device) throws Exception {
    try (WsClient ws = WsClient.connect(server.webSocketUri(), device)) {
      for (WebSocketRequest request = ws.nextServerRequest(WAIT); !request.getPath().equals("/api/v1/queue/empty");
          request = ws.nextServerRequest(WAIT)) {
        ws.answer(request, 200);
      }
    }
    await().atMost(WAIT).until(() -> depth(device) == 0);
  }

  @Test
  void strangersFillOnlyTheirShareAndAContactStillGetsThrough() throws Exception {
    server = TestServer.start(Map.of(
        "PARLEY_MESSAGES_MAX_QUEUE_PER_DEVICE", "12",
        "PARLEY_MESSAGES_MAX_QUEUE_FROM_STRANGERS", "5",
        "PARLEY_MESSAGES_MAX_QUEUE_PER_STRANGER", "3"));
    Api.Device bob = server.api.register("+15553330001");
    Api.Device carol = server.api.register("+15553330002");
    Api.Device mallory = server.api.register("+15553330003");
    Api.Device trent = server.api.register("+15553330004");
    assertThat(send(bob, carol, "hi carol").status()).isEqualTo(200); // bob has written to carol: she is a contact

    // One stranger gets at most 3 into bob's offline queue ...
    assertThat(sendMany(mallory, bob, 4)).containsExactly("200", "200", "200", "507 stranger_quota");
    // ... and all strangers together at most 5.
    assertThat(sendMany(trent, bob, 3)).containsExactly("200", "200", "507 stranger_quota");
    assertThat(depth(bob)).isEqualTo(5);

    // A contact is not held up by them, up to the device's own cap (12).
    assertThat(sendMany(carol, bob, 8)).containsExactly("200", "200", "200", "200", "200", "200", "200",
        "507 queue_full");
    assertThat(depth(bob)).isEqualTo(12);

    // Once bob has been online and emptied his queue, strangers may write again.
    drain(bob);
    assertThat(sendMany(mallory, bob, 1)).containsExactly("200");
  }

  @Test
  void aStrangerBecomesAContactWhenTheRecipientWritesBack() throws Exception {
    server = TestServer.start(Map.of(
        "PARLEY_MESSAGES_MAX_QUEUE_FROM_STRANGERS", "100",
        "PARLEY_MESSAGES_MAX_QUEUE_PER_STRANGER", "2"));
    Api.Device bob = server.api.register("+15553330011");
    Api.Device dave = server.api.register("+15553330012");
    assertThat(sendMany(dave, bob, 3)).containsExactly("200", "200", "507 stranger_quota");
    assertThat(send(bob, dave, "hello dave, welcome").status()).isEqualTo(200);
    assertThat(sendMany(dave, bob, 3)).containsExactly("200", "200", "200");
    assertThat(depth(bob)).isEqualTo(5);
  }

  @Test
  void theQueueByteBudgetRefusesNewMessagesUntilSomeAreDelivered() throws Exception {
    server = TestServer.start(Map.of("PARLEY_STORAGE_QUEUE_MAX_BYTES", "8k"));
    Api.Device alice = server.api.register("+15553330021");
    Api.Device bob = server.api.register("+15553330022");
    String twoKiB = "x".repeat(2048);
    List<String> outcomes = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      Api.Response response = send(alice, bob, twoKiB);
      outcomes.add(response.status() == 200 ? "200" : response.status() + " " + response.error().getCode());
    }
    // Each stored copy takes 2 KiB of ciphertext plus its envelope: three fit in 8 KiB, a fourth does not.
    assertThat(outcomes).containsExactly("200", "200", "200", "507 server_storage_full", "507 server_storage_full");
    assertThat(server.queue().storedBytes()).isLessThanOrEqualTo(8 * 1024);
    Api.Response refused = send(alice, bob, twoKiB);
    assertThat(refused.error().getMessage()).contains("no room for more messages");

    drain(bob);
    assertThat(server.queue().storedBytes()).isZero();
    assertThat(send(alice, bob, twoKiB).status()).isEqualTo(200);
  }

  @Test
  void aDiskWithTooLittleFreeSpaceTakesNoMoreMessages() throws Exception {
    // No test disk is this large: the server must see too little free space and refuse, without writing.
    server = TestServer.start(Map.of("PARLEY_STORAGE_MIN_FREE_DISK", "1000000t"));
    Api.Device alice = server.api.register("+15553330031");
    Api.Device bob = server.api.register("+15553330032");
    Api.Response refused = send(alice, bob, "hello");
    assertThat(refused.status()).isEqualTo(507);
    assertThat(refused.error().getCode()).isEqualTo("server_storage_full");
    assertThat(depth(bob)).isZero();
  }
}
