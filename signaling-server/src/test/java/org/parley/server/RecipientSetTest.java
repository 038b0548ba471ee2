package org.parley.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.parley.protocol.Envelope;
import org.parley.protocol.MessageList;
import org.parley.protocol.MultiRecipientMessageRequest;
import org.parley.protocol.MultiRecipientMessageResponse;
import org.parley.protocol.MultiRecipientMismatch;
import org.parley.protocol.RecipientSetRequest;
import org.parley.protocol.RecipientSetResponse;
import org.parley.server.messages.RecipientSets;
import org.parley.server.support.Api;
import org.parley.server.support.Recipients;
import org.parley.server.support.WsClient;

/**
 * {@code PUT /v1/recipient-sets}: a group's recipient list registered once and named by its id in each message
 * (ADR 0140), its checks against the current devices, and what a stranger can make the server hold with it.
 */
class RecipientSetTest extends WithThreeAccounts {

  private static final String SETS = "/v1/recipient-sets";
  private static final String SEND = "/v1/multi-recipient-messages";

  private static RecipientSetRequest set(List<Api.Device> devices) {
    RecipientSetRequest.Builder request = RecipientSetRequest.newBuilder();
    devices.forEach(d -> request.addRecipients(Recipients.of(d)));
    return request.build();
  }

  private ByteString register(Api.Device as, Api.Device... to) {
    Api.Response response = api.call("PUT", SETS, set(List.of(to)), as);
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    return response.as(RecipientSetResponse.getDefaultInstance()).getId();
  }

  private Api.Response send(Api.Device as, ByteString set, String content) {
    return api.call("PUT", SEND, MultiRecipientMessageRequest.newBuilder().setRecipientSet(set)
        .setContent(WsClient.bytes(content)).setTimestamp(77).build(), as);
  }

  @Test
  void aRegisteredSetCarriesEachMessageToEveryDeviceItNames() {
    Api.Response registered = api.call("PUT", SETS, set(List.of(bob, carol)), alice);
    assertThat(registered.status()).as(registered.text()).isEqualTo(200);
    RecipientSetResponse answer = registered.as(RecipientSetResponse.getDefaultInstance());
    assertThat(answer.getId().size()).isEqualTo(16);
    assertThat(answer.getDevices()).isEqualTo(2);
    assertThat(answer.getIdleLifetimeMillis()).isEqualTo(Duration.ofDays(7).toMillis());
    assertThat(register(alice, carol, bob)).as("the same list in another order: the same set")
        .isEqualTo(answer.getId());
    assertThat(register(alice, bob)).isNotEqualTo(answer.getId());

    for (int i = 0; i < 3; i++) {
      Api.Response sent = send(alice, answer.getId(), "group message " + i);
      assertThat(sent.status()).as(sent.text()).isEqualTo(200);
      assertThat(sent.as(MultiRecipientMessageResponse.getDefaultInstance()).getCopies()).isEqualTo(2);
    }
    assertThat(server.queued(bob)).as("durable before the answer").isEqualTo(3);
    assertThat(server.queued(carol)).isEqualTo(3);
    MessageList queued = api.call("GET", "/v1/messages", null, bob).as(MessageList.getDefaultInstance());
    Envelope first = queued.getMessages(0);
    assertThat(first.getType()).isEqualTo(Envelope.Type.SENDER_KEY);
    assertThat(first.getContent().toStringUtf8()).isEqualTo("group message 0");
    assertThat(first.getSourceAccount()).isEqualTo(alice.accountId());
    assertThat(first.getDestinationAccount()).isEqualTo(bob.accountId());
  }

  @Test
  void anUnknownSetOrAnotherDevicesSetIsA410AndNothingIsStored() {
    Api.Response unknown = send(alice, ByteString.copyFrom(new byte[16]), "x");
    assertThat(unknown.status()).isEqualTo(410);
    assertThat(unknown.error().getCode()).isEqualTo("unknown_recipient_set");

    ByteString carols = register(carol, bob);
    Api.Response borrowed = send(alice, carols, "x");
    assertThat(borrowed.status()).as("a set is its registering device's only").isEqualTo(410);
    assertThat(server.queued(bob)).isZero();

    Api.Response both = api.call("PUT", SEND, MultiRecipientMessageRequest.newBuilder().setRecipientSet(carols)
        .addRecipients(Recipients.of(bob)).setContent(WsClient.bytes("x")).build(), carol);
    assertThat(both.status()).isEqualTo(400);
    assertThat(both.error().getCode()).isEqualTo("recipients_and_set");
    Api.Response empty = api.call("PUT", SEND, MultiRecipientMessageRequest.newBuilder().setRecipientSet(carols)
        .build(), carol);
    assertThat(empty.error().getCode()).isEqualTo("empty_content");
    assertThat(api.call("PUT", SETS, set(List.of(bob)), null).status()).isEqualTo(401);
  }

  @Test
  void aSetWhoseDevicesChangedIsA409NamingTheAccountUntilRegisteredAgain() {
    ByteString set = register(alice, bob, carol);
    Api.Device carolAgain = api.register(carol.number()); // a new primary with a new registration id
    assertThat(carolAgain.accountId()).isEqualTo(carol.accountId());

    Api.Response stale = send(alice, set, "x");
    assertThat(stale.status()).isEqualTo(409);
    MultiRecipientMismatch mismatch = stale.as(MultiRecipientMismatch.getDefaultInstance());
    assertThat(mismatch.getAccountsList()).singleElement().satisfies(a -> {
      assertThat(a.getAccountId()).isEqualTo(carol.accountId());
      assertThat(a.getMismatch().getStaleDevicesList()).containsExactly(1);
      assertThat(a.getMismatch().getDevices(0).getRegistrationId()).isEqualTo(carolAgain.registrationId());
    });
    assertThat(server.queued(bob)).as("nothing stored from a refused send").isZero();

    Api.Response oldList = api.call("PUT", SETS, set(List.of(bob, carol)), alice);
    assertThat(oldList.status()).as("registering the old list is refused the same way").isEqualTo(409);
    ByteString fresh = register(alice, bob, carolAgain);
    assertThat(send(alice, fresh, "y").status()).isEqualTo(200);
    assertThat(server.queued(carolAgain)).isEqualTo(1);
  }

  @Test
  void aSetNamingAnUnknownAccountOrTooManyDevicesIsRefused() {
    RecipientSetRequest unknown = RecipientSetRequest.newBuilder().addRecipients(Recipients.of(bob))
        .addRecipients(MultiRecipientMessageRequest.Recipient.newBuilder()
            .setAccountId("00000000-0000-0000-0000-000000000000").addDeviceIds(1).addRegistrationIds(1))
        .build();
    Api.Response notFound = api.call("PUT", SETS, unknown, alice);
    assertThat(notFound.status()).isEqualTo(404);
    assertThat(notFound.error().getCode()).isEqualTo("unknown_recipient");

    RecipientSetRequest crowd =
        RecipientSetRequest.newBuilder().addAllRecipients(Recipients.oneAccountTooMany()).build();
    Api.Response tooMany = api.call("PUT", SETS, crowd, alice);
    assertThat(tooMany.status()).isEqualTo(413);
    assertThat(tooMany.text()).contains("1025 recipient accounts");

    Api.Response tooManyDevices = api.call("PUT", SETS,
        RecipientSetRequest.newBuilder().addRecipients(Recipients.oneDeviceTooMany(bob.accountId())).build(), alice);
    assertThat(tooManyDevices.status()).isEqualTo(413);
    assertThat(tooManyDevices.text()).contains("6145 recipient devices");

    assertThat(api.call("PUT", SETS, set(List.of(bob, bob)), alice).error().getCode())
        .isEqualTo("duplicate_recipient");
    assertThat(api.call("PUT", SETS, RecipientSetRequest.getDefaultInstance(), alice).error().getCode())
        .isEqualTo("no_recipients");
  }

  @Test
  void anAccountHoldsAtMostItsShareOfSetsAndIdleSetsExpire() {
    List<Api.Device> others = new ArrayList<>(List.of(bob, carol));
    for (int i = 0; i < 6; i++) {
      others.add(api.register("+1555444100" + i));
    }
    int limit = RecipientSets.Limits.DEFAULT.setsPerAccount();
    List<ByteString> ids = new ArrayList<>();
    for (int subset = 1; subset <= limit + 1; subset++) { // 8 accounts: 255 different non-empty subsets
      List<Api.Device> members = new ArrayList<>();
      for (int bit = 0; bit < others.size(); bit++) {
        if ((subset & (1 << bit)) != 0) {
          members.add(others.get(bit));
        }
      }
      ids.add(register(alice, members.toArray(Api.Device[]::new)));
    }
    assertThat(send(alice, ids.get(0), "x").status()).as("the oldest set was evicted").isEqualTo(410);
    assertThat(send(alice, ids.get(1), "x").status()).isEqualTo(200);
    assertThat(send(alice, ids.get(limit), "x").status()).isEqualTo(200);
    assertThat(register(bob, carol)).as("another account has a share of its own").isNotNull();

    Duration idle = RecipientSets.Limits.DEFAULT.idleLifetime();
    server.clock.advance(idle.minusDays(1));
    assertThat(send(alice, ids.get(1), "x").status()).as("use keeps a set").isEqualTo(200);
    server.clock.advance(Duration.ofDays(2));
    assertThat(send(alice, ids.get(1), "x").status()).isEqualTo(200);
    Api.Response expired = send(alice, ids.get(2), "x");
    assertThat(expired.status()).as("idle for longer than %s", idle).isEqualTo(410);
  }
}
