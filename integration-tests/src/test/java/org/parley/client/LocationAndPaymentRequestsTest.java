package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.Message;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyListener;
import org.parley.client.api.location.Location;
import org.parley.client.api.payments.InrAmount;
import org.parley.client.api.payments.PaymentRequestEntry;
import org.parley.client.api.payments.PaymentRequestId;
import org.parley.client.api.payments.PaymentRole;
import org.parley.client.api.payments.PaymentState;
import org.parley.client.api.payments.PaymentStatus;
import org.parley.client.api.payments.Utr;
import org.parley.client.api.payments.Vpa;
import org.parley.client.internal.db.Database;
import org.parley.client.internal.messaging.Contents;
import org.parley.client.internal.proto.Content;
import org.parley.client.internal.proto.DataMessage;
import org.parley.client.internal.proto.LocationMessage;
import org.parley.client.internal.proto.PaymentRequestMessage;
import org.parley.client.internal.proto.PaymentStatusMessage;
import org.parley.client.internal.store.OutboxTable;
import org.parley.testing.Linker;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.TestUser;

/**
 * Locations and UPI payment requests between real clients through the real server: a place arrives as it was sent
 * and is found by its name; a request is paid, declined or cancelled by the side allowed to, and every device of
 * both sides ends with the same state.
 */
class LocationAndPaymentRequestsTest {

  static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().users(2).build();

  /** The newest message with {@code number} that matches, once it is there. */
  private static Message awaitMessage(ParleyClient client, String number, Predicate<Message> which) {
    return await().atMost(WAIT).ignoreException(NotFoundException.class)
        .until(() -> client.history(number, 50).stream().filter(which).reduce((a, b) -> b), Optional::isPresent)
        .orElseThrow();
  }

  private static PaymentState stateOn(ParleyClient client, PaymentRequestId id) throws Exception {
    try {
      return client.payment(id).status().state();
    } catch (NotFoundException notYet) {
      return null;
    }
  }

  @Test
  void aLocationArrivesAsSentAndIsFoundByItsName() throws Exception {
    TestUser alice = parley.user(0);
    TestUser bob = parley.user(1);
    alice.client().connect();
    bob.client().connect();
    Location eiffel = Location.of(48.85837, 2.29448, Optional.of(35.0), Optional.of("Eiffel Tower"),
        Optional.of("Champ de Mars\n75007 Paris"));

    Message sent = alice.client().sendLocation(bob.number(), eiffel);
    assertThat(sent.location()).contains(eiffel);
    assertThat(sent.text()).contains("Eiffel Tower", "48.85837, 2.29448");

    Message received = awaitMessage(bob.client(), alice.number(), m -> m.location().isPresent());
    assertThat(received.direction()).isEqualTo(Message.Direction.INCOMING);
    assertThat(received.location()).contains(eiffel);
    assertThat(received.location().orElseThrow().openStreetMapLink().toString())
        .isEqualTo("https://www.openstreetmap.org/?mlat=48.85837&mlon=2.29448#map=17/48.85837/2.29448");
    assertThat(received.text()).isEqualTo(sent.text());
    assertThat(bob.client().search("eiffel", 10)).extracting(Message::location).containsExactly(Optional.of(eiffel));
    assertThat(alice.client().search("eiffel", 10)).extracting(Message::id).containsExactly(sent.id());

    // Deleting the message takes its place with it.
    bob.client().deleteMessage(received.id());
    assertThat(bob.client().history(alice.number(), 50)).noneMatch(m -> m.location().isPresent());
    assertThat(bob.client().search("eiffel", 10)).isEmpty();
  }

  @Test
  void coordinatesOutOfRangeOrNotNumbersAreRefusedBeforeAnythingIsStored() throws Exception {
    assertThatThrownBy(() -> Location.of(91, 0)).isInstanceOf(InvalidInputException.class)
        .hasMessage("Latitude must be between -90 and 90 degrees, not 91.0");
    assertThatThrownBy(() -> Location.of(0, Double.NaN)).isInstanceOf(InvalidInputException.class)
        .hasMessage("Longitude is not a number (NaN)");
    assertThatThrownBy(() -> Location.parse("48,85837, 2,29448")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("with a dot for decimals");
  }

  @Test
  void aPaidRequestShowsPaidOnBothSidesAndOnTheRequestersLinkedDevice() throws Exception {
    TestUser alice = parley.register();
    TestUser bob = parley.register();
    ParleyClient phone = alice.client();
    phone.connect();
    bob.client().connect();
    Linker desktop = parley.link("Alice's desktop");
    try (ParleyClient d = desktop.client) {
      phone.addDevice(desktop.currentLink(), "Alice");
      desktop.awaitLinked();
      d.connect();
      List<PaymentRequestEntry> phoneEvents = new CopyOnWriteArrayList<>();
      phone.addListener(new ParleyListener() {
        @Override
        public void paymentChanged(PaymentRequestEntry payment) {
          phoneEvents.add(payment);
        }
      });

      Message asked = phone.requestPayment(bob.number(), InrAmount.parse("250.00"), Vpa.parse("Alice@OKBank"),
          "Alice Sharma", Optional.of("Dinner"));
      PaymentRequestEntry mine = asked.payment().orElseThrow();
      PaymentRequestId id = mine.id();
      assertThat(mine.ourRole()).isEqualTo(PaymentRole.REQUESTER);
      assertThat(mine.status()).isEqualTo(PaymentStatus.REQUESTED);
      assertThat(mine.request().upiLink()).isEqualTo("upi://pay?pa=alice@okbank&pn=Alice%20Sharma&am=250.00&cu=INR"
          + "&tn=Dinner&tr=" + id);

      Message toPay = awaitMessage(bob.client(), alice.number(), m -> m.payment().isPresent());
      PaymentRequestEntry theirs = toPay.payment().orElseThrow();
      assertThat(theirs.request()).isEqualTo(mine.request());
      assertThat(theirs.ourRole()).isEqualTo(PaymentRole.PAYER);
      assertThat(toPay.text()).isEqualTo("Payment request: ₹250.00 to Alice Sharma (alice@okbank): Dinner");
      // The linked device has the request too, as ours.
      Message onDesktop = awaitMessage(d, bob.number(), m -> m.payment().isPresent());
      assertThat(onDesktop.payment().orElseThrow().ourRole()).isEqualTo(PaymentRole.REQUESTER);

      // Each side may do only its own part.
      Utr utr = Utr.parse("4123 5678 9012");
      assertThatThrownBy(() -> phone.updatePayment(id, PaymentStatus.paid(utr)))
          .isInstanceOf(InvalidInputException.class).hasMessage("Only the payer can mark a payment request paid");
      assertThatThrownBy(() -> bob.client().updatePayment(id, PaymentStatus.CANCELLED))
          .isInstanceOf(InvalidInputException.class)
          .hasMessage("Only the person who asked for the payment can cancel the request");
      assertThat(phone.payment(id).status()).isEqualTo(PaymentStatus.REQUESTED);

      PaymentRequestEntry paid = bob.client().updatePayment(id, PaymentStatus.paid(utr));
      assertThat(paid.status()).isEqualTo(PaymentStatus.paid(utr));
      for (ParleyClient device : List.of(phone, d)) {
        await().atMost(WAIT).until(() -> stateOn(device, id) == PaymentState.PAID);
        assertThat(device.payment(id).status().utr()).contains(utr);
        assertThat(awaitMessage(device, bob.number(), m -> m.payment().isPresent()).payment().orElseThrow()
            .status()).isEqualTo(PaymentStatus.paid(utr));
      }
      await().atMost(WAIT).until(() -> !phoneEvents.isEmpty());
      assertThat(phoneEvents.get(0).status()).isEqualTo(PaymentStatus.paid(utr));
      // Final: the requester cannot cancel a paid request.
      assertThatThrownBy(() -> d.updatePayment(id, PaymentStatus.CANCELLED))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("already paid (UTR 412356789012)");

      // Cancelled on the linked device: the phone and the payer see it, and the payer can no longer decline.
      PaymentRequestId second = phone.requestPayment(bob.number(), InrAmount.parse("99.5"),
          Vpa.parse("alice@okbank"), "Alice Sharma", Optional.empty()).payment().orElseThrow().id();
      await().atMost(WAIT).until(() -> stateOn(d, second) == PaymentState.REQUESTED
          && stateOn(bob.client(), second) == PaymentState.REQUESTED);
      assertThat(d.updatePayment(second, PaymentStatus.CANCELLED).status()).isEqualTo(PaymentStatus.CANCELLED);
      await().atMost(WAIT).until(() -> stateOn(phone, second) == PaymentState.CANCELLED
          && stateOn(bob.client(), second) == PaymentState.CANCELLED);
      assertThatThrownBy(() -> bob.client().updatePayment(second, PaymentStatus.DECLINED))
          .isInstanceOf(InvalidInputException.class).hasMessage("The payment request is already cancelled");
    }
  }

  @Test
  void aDeclinedRequestIsDeclinedOnBothSidesAndCannotBePaidAfterwards() throws Exception {
    TestUser alice = parley.user(0);
    TestUser bob = parley.user(1);
    alice.client().connect();
    bob.client().connect();
    PaymentRequestId id = alice.client().requestPayment(bob.number(), InrAmount.of(new BigDecimal("100000.00")),
        Vpa.parse("alice@okbank"), "Alice", Optional.of("Rent")).payment().orElseThrow().id();
    await().atMost(WAIT).until(() -> stateOn(bob.client(), id) == PaymentState.REQUESTED);

    assertThat(bob.client().updatePayment(id, PaymentStatus.DECLINED).status()).isEqualTo(PaymentStatus.DECLINED);
    await().atMost(WAIT).until(() -> stateOn(alice.client(), id) == PaymentState.DECLINED);
    // The same again changes nothing; paying after declining is refused.
    assertThat(bob.client().updatePayment(id, PaymentStatus.DECLINED).status()).isEqualTo(PaymentStatus.DECLINED);
    assertThatThrownBy(() -> bob.client().updatePayment(id, PaymentStatus.paid(Utr.parse("123456789012"))))
        .isInstanceOf(InvalidInputException.class).hasMessage("The payment request is already declined");
    assertThatThrownBy(() -> bob.client().payment(PaymentRequestId.random()))
        .isInstanceOf(NotFoundException.class).hasMessageContaining("No payment request");
  }

  /**
   * What arrives is checked like typed input, and a status counts only from the side it belongs to: a place out of
   * range, a "paid" from someone who is not the payer, a "cancelled" from the payer and a request reusing another
   * request's id (all written straight into the senders' outboxes, as a modified client would) change nothing.
   */
  @Test
  void forgedPlacesAndStatusesFromTheWrongSideChangeNothing() throws Exception {
    String alice = parley.newNumber();
    String bob = parley.newNumber();
    String mallory = parley.newNumber();
    Path bobDir = Files.createTempDirectory("parley-bob");
    Path malloryDir = Files.createTempDirectory("parley-mallory");
    ParleyClient a = parley.register(alice).client();
    a.connect();
    List<Message> received = new CopyOnWriteArrayList<>();
    a.addListener(new ParleyListener() {
      @Override
      public void messageReceived(Message message) {
        received.add(message);
      }
    });
    try (ParleyClient b = parley.register(bob, bobDir).client();
        ParleyClient m = parley.register(mallory, malloryDir).client()) {
      b.connect();
      m.connect();
      m.send(alice, "hello from Mallory");
      await().atMost(WAIT).until(() -> received.size() == 1);
    }
    PaymentRequestId id = a.requestPayment(bob, InrAmount.parse("500"), Vpa.parse("alice@okbank"), "Alice",
        Optional.empty()).payment().orElseThrow().id();
    assertThat(a.awaitOutboxEmpty(WAIT)).isTrue();

    String aliceAccount = a.account().accountId();
    long now = System.currentTimeMillis();
    queueRaw(malloryDir, aliceAccount, mallory, now, DataMessage.newBuilder()
        .setLocation(LocationMessage.newBuilder().setLatitude(91).setLongitude(0)));
    queueRaw(malloryDir, aliceAccount, mallory, now + 1, DataMessage.newBuilder()
        .setPaymentStatus(PaymentStatusMessage.newBuilder().setRequestId(id.value())
            .setState(PaymentStatusMessage.State.PAID).setUtr("123456789012")));
    queueRaw(malloryDir, aliceAccount, mallory, now + 2, DataMessage.newBuilder()
        .setPaymentRequest(PaymentRequestMessage.newBuilder().setRequestId(id.value()).setPayeeVpa("mallory@okbank")
            .setPayeeName("Mallory").setAmountPaise(100)));
    queueRaw(bobDir, aliceAccount, bob, now + 3, DataMessage.newBuilder()
        .setPaymentStatus(PaymentStatusMessage.newBuilder().setRequestId(id.value())
            .setState(PaymentStatusMessage.State.CANCELLED)));
    for (Path dir : List.of(malloryDir, bobDir)) {
      try (ParleyClient sender = parley.reopen(dir)) {
        sender.connect();
        assertThat(sender.awaitOutboxEmpty(WAIT)).isTrue();
        sender.send(alice, "honest again");
        assertThat(sender.awaitOutboxEmpty(WAIT)).isTrue();
      }
    }
    await().atMost(WAIT).until(() -> received.stream().filter(msg -> msg.text().equals("honest again")).count()
        == 2);

    // The out-of-range place was dropped; the reused id arrived as text without a request to answer.
    assertThat(a.history(mallory, 10)).extracting(Message::text).containsExactly("hello from Mallory",
        "Payment request: ₹1.00 to Mallory (mallory@okbank)", "honest again");
    assertThat(a.history(mallory, 10)).allSatisfy(msg -> {
      assertThat(msg.location()).isEmpty();
      assertThat(msg.payment()).isEmpty();
    });
    PaymentRequestEntry request = a.payment(id);
    assertThat(request.status()).isEqualTo(PaymentStatus.REQUESTED);
    assertThat(request.contactNumber()).isEqualTo(bob);
    assertThat(request.request().payee().value()).isEqualTo("alice@okbank");
  }

  /** Puts content into a client's outbox as a modified client could, to go out at its next connection. */
  private static void queueRaw(Path dataDir, String to, String fromNumber, long timestamp, DataMessage.Builder data)
      throws Exception {
    try (Database db = Database.open(dataDir)) {
      Content content = Content.newBuilder().setSenderNumber(fromNumber).setData(data.setTimestamp(timestamp))
          .build();
      new OutboxTable(db).add(to, Contents.encode(content), timestamp, null, timestamp);
    }
  }

  @Test
  void badAmountsPayeesAndNamesAreRefused() throws Exception {
    TestUser alice = parley.user(0);
    TestUser bob = parley.user(1);
    assertThatThrownBy(() -> InrAmount.parse("0")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("more than ₹0");
    assertThatThrownBy(() -> InrAmount.parse("-5")).isInstanceOf(InvalidInputException.class);
    assertThatThrownBy(() -> InrAmount.parse("1.234")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("at most 2 decimals");
    assertThatThrownBy(() -> InrAmount.parse("100000.01")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("at most ₹1,00,000.00");
    assertThatThrownBy(() -> Vpa.parse("alice")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("has no @");
    assertThatThrownBy(() -> Utr.parse("12345")).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("12 digits");
    alice.client().send(bob.number(), "hello");
    assertThatThrownBy(() -> alice.client().requestPayment(bob.number(), InrAmount.parse("10"),
        Vpa.parse("alice@okbank"), " ", Optional.empty())).isInstanceOf(InvalidInputException.class)
        .hasMessage("The payee's name is empty");
    assertThatThrownBy(() -> alice.client().requestPayment(alice.number(), InrAmount.parse("10"),
        Vpa.parse("alice@okbank"), "Alice", Optional.empty())).isInstanceOf(InvalidInputException.class);
    assertThat(alice.client().history(bob.number(), 500)).extracting(Message::text).containsExactly("hello");
  }
}
