package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.protocol.Envelope;
import org.parley.protocol.MultiRecipientMessageRequest;
import org.parley.protocol.MultiRecipientMessageResponse;
import org.parley.protocol.MultiRecipientMismatch;
import org.parley.protocol.WebSocketMessage;
import org.parley.protocol.WebSocketRequest;
import org.parley.server.support.Api;
import org.parley.server.support.Recipients;
import org.parley.server.support.WsClient;

/** {@code PUT /v1/multi-recipient-messages}: one upload, a durable copy per device, and its limits (ADR 0140). */
class MultiRecipientTest extends WithThreeAccounts {

  private static final Duration WAIT = Duration.ofSeconds(10);
  private static final String PATH = "/v1/multi-recipient-messages";

  private static MultiRecipientMessageRequest.Builder request(String content, Api.Device... to) {
    MultiRecipientMessageRequest.Builder request = MultiRecipientMessageRequest.newBuilder()
        .setContent(WsClient.bytes(content)).setTimestamp(1234);
    for (Api.Device device : to) {
      request.addRecipients(Recipients.of(device));
    }
    return request;
  }

  @Test
  void oneUploadIsStoredForEveryDeviceBeforeTheAnswerAndDeletedOnEachAck() throws Exception {
    try (WsClient bobWs = WsClient.connect(server.webSocketUri(), bob)) {
      assertThat(bobWs.nextServerRequest(WAIT).getPath()).isEqualTo("/api/v1/queue/empty");
      Api.Response response = api.call("PUT", PATH, request("group ciphertext", bob, carol).build(), alice);
      assertThat(response.status()).as(response.text()).isEqualTo(200);
      assertThat(response.as(MultiRecipientMessageResponse.getDefaultInstance()).getCopies()).isEqualTo(2);
      assertThat(server.queued(carol)).as("stored for the device that is away").isEqualTo(1);

      WebSocketRequest delivery = bobWs.nextDelivery(WAIT);
      Envelope envelope = WsClient.envelope(delivery);
      assertThat(envelope.getType()).isEqualTo(Envelope.Type.SENDER_KEY);
      assertThat(envelope.getContent().toStringUtf8()).isEqualTo("group ciphertext");
      assertThat(envelope.getSourceAccount()).isEqualTo(alice.accountId());
      assertThat(envelope.getSourceNumber()).isEqualTo(alice.number());
      assertThat(envelope.getDestinationAccount()).isEqualTo(bob.accountId());
      assertThat(envelope.getClientTimestamp()).isEqualTo(1234);
      bobWs.answer(delivery, 200);
      await().atMost(WAIT).until(() -> server.queued(bob) == 0);
      assertThat(server.queued(carol)).as("Bob's ack leaves Carol's copy").isEqualTo(1);
    }
  }

  @Test
  void aStaleOrMissingDeviceListIsA409PerAccountAndAnUnknownAccountA404() {
    MultiRecipientMessageRequest stale = request("x", bob).addRecipients(MultiRecipientMessageRequest.Recipient
        .newBuilder().setAccountId(carol.accountId()).addDeviceIds(1).addRegistrationIds(carol.registrationId() + 1))
        .build();
    Api.Response conflict = api.call("PUT", PATH, stale, alice);
    assertThat(conflict.status()).isEqualTo(409);
    MultiRecipientMismatch mismatch = conflict.as(MultiRecipientMismatch.getDefaultInstance());
    assertThat(mismatch.getAccountsList()).singleElement().satisfies(a -> {
      assertThat(a.getAccountId()).isEqualTo(carol.accountId());
      assertThat(a.getMismatch().getStaleDevicesList()).containsExactly(1);
    });
    MultiRecipientMessageRequest missing = request("x", bob).addRecipients(MultiRecipientMessageRequest.Recipient
        .newBuilder().setAccountId(carol.accountId())).build();
    assertThat(api.call("PUT", PATH, missing, alice).as(MultiRecipientMismatch.getDefaultInstance())
        .getAccounts(0).getMismatch().getMissingDevicesList()).containsExactly(1);
    assertThat(server.queued(bob)).as("nothing stored from a refused request").isZero();

    MultiRecipientMessageRequest unknown = request("x", bob).addRecipients(MultiRecipientMessageRequest.Recipient
        .newBuilder().setAccountId("00000000-0000-0000-0000-000000000000").addDeviceIds(1).addRegistrationIds(1))
        .build();
    Api.Response notFound = api.call("PUT", PATH, unknown, alice);
    assertThat(notFound.status()).isEqualTo(404);
    assertThat(notFound.text()).contains("unknown_recipient");
  }

  @Test
  void whatAStrangerCanMakeTheServerHoldIsBounded() {
    Api.Response duplicate = api.call("PUT", PATH, request("x", bob, bob).build(), alice);
    assertThat(duplicate.status()).isEqualTo(400);
    assertThat(duplicate.text()).contains("duplicate_recipient");
    assertThat(api.call("PUT", PATH, request("x").build(), alice).text()).contains("no_recipients");
    MultiRecipientMessageRequest empty =
        MultiRecipientMessageRequest.newBuilder().addRecipients(Recipients.of(bob)).build();
    assertThat(api.call("PUT", PATH, empty, alice).text()).contains("empty_content");

    byte[] big = new byte[64 * 1024 + 1];
    Api.Response tooLarge = api.call("PUT", PATH, request("x", bob).setContent(ByteString.copyFrom(big)).build(),
        alice);
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.text()).contains("too_large");

    MultiRecipientMessageRequest crowd = request("x").addAllRecipients(Recipients.oneAccountTooMany()).build();
    Api.Response tooMany = api.call("PUT", PATH, crowd, alice);
    assertThat(tooMany.status()).isEqualTo(413);
    assertThat(tooMany.text()).contains("too_many_recipients").contains("1025 recipient accounts");

    MultiRecipientMessageRequest manyDevices =
        request("x").addRecipients(Recipients.oneDeviceTooMany(bob.accountId())).build();
    Api.Response tooManyDevices = api.call("PUT", PATH, manyDevices, alice);
    assertThat(tooManyDevices.status()).isEqualTo(413);
    assertThat(tooManyDevices.text()).contains("6145 recipient devices");
    assertThat(server.queued(bob)).isZero();

    Api.Response anonymous = api.call("PUT", PATH, request("x", bob).build(), null);
    assertThat(anonymous.status()).isEqualTo(401);
  }
  @Test
  void pipelinedGroupMessagesReachEveryOnlineDeviceInTheOrderSent() throws Exception {
    // The pushes of a group message run on the receiving connections' event loops, several at once (ADR 0140):
    // each device must still get one sender's messages in the order they were sent, each exactly once.
    List<Api.Device> members = new ArrayList<>(List.of(bob, carol));
    for (int i = 0; i < 6; i++) {
      members.add(api.register("+1555333100" + i));
    }
    List<WsClient> sockets = new ArrayList<>();
    try (WsClient aliceWs = WsClient.connect(server.webSocketUri(), alice)) {
      for (Api.Device member : members) {
        WsClient ws = WsClient.connect(server.webSocketUri(), member);
        sockets.add(ws);
        assertThat(ws.nextServerRequest(WAIT).getPath()).isEqualTo("/api/v1/queue/empty");
      }
      int messages = 40;
      for (int i = 0; i < messages; i++) {
        MultiRecipientMessageRequest body = request("m" + i, members.toArray(Api.Device[]::new)).build();
        aliceWs.sendRaw(WebSocketMessage.newBuilder().setType(WebSocketMessage.Type.REQUEST)
            .setRequest(WebSocketRequest.newBuilder().setId(1000 + i).setVerb("PUT").setPath(PATH)
                .setBody(body.toByteString()))
            .build().toByteArray()); // not waiting for the answer: all in flight at once
      }
      for (int m = 0; m < members.size(); m++) {
        WsClient ws = sockets.get(m);
        for (int i = 0; i < messages; i++) {
          WebSocketRequest delivery = ws.nextDelivery(WAIT);
          assertThat(WsClient.envelope(delivery).getContent().toStringUtf8()).as("member %d, message %d", m, i)
              .isEqualTo("m" + i);
          ws.answer(delivery, 200);
        }
      }
      for (Api.Device member : members) {
        await().atMost(WAIT).until(() -> server.queued(member) == 0);
      }
      for (WsClient ws : sockets) {
        assertThat(ws.nextServerRequest(Duration.ofMillis(200))).as("nothing pushed twice").isNull();
      }
    } finally {
      sockets.forEach(WsClient::close);
    }
  }
}
