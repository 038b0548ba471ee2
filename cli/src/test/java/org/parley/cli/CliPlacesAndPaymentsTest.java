package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;

/** Locations and UPI payment requests from the command line and the daemon, against a real server. */
class CliPlacesAndPaymentsTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  static JsonNode json(String line) throws Exception {
    return Json.MAPPER.readTree(line);
  }

  @Test
  void aLocationIsSentReceivedAndShownWithItsMapLink() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path a = Cli.register(parley.server(), alice);
    Path b = Cli.register(parley.server(), bob);

    Cli.Result sent = Cli.run(a, "send", bob, "--location", "48.85837,2.29448", "--label", "Eiffel Tower");
    assertThat(sent.code()).as(sent.err()).isZero();
    assertThat(Cli.run(a, "history", bob).out()).contains(">> Location: Eiffel Tower (48.85837, 2.29448)  "
        + "https://www.openstreetmap.org/?mlat=48.85837&mlon=2.29448#map=17/48.85837/2.29448  [✓ sent]");

    Cli.Result received = Cli.run(b, "receive", "--json", "--timeout", "1");
    assertThat(received.code()).as(received.err()).isZero();
    JsonNode location = json(received.lines().get(0)).path("location");
    assertThat(location.path("latitude").asDouble()).isEqualTo(48.85837);
    assertThat(location.path("longitude").asDouble()).isEqualTo(2.29448);
    assertThat(location.path("label").asText()).isEqualTo("Eiffel Tower");
    assertThat(location.path("osmUrl").asText()).isEqualTo(
        "https://www.openstreetmap.org/?mlat=48.85837&mlon=2.29448#map=17/48.85837/2.29448");
    assertThat(Cli.run(b, "history", alice).out()).contains("<< Location: Eiffel Tower (48.85837, 2.29448)  "
        + "https://www.openstreetmap.org/");
  }

  @Test
  void badCoordinatesAndMisusedOptionsAreRefusedWithUsageErrors() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path a = Cli.register(parley.server(), alice);
    Cli.register(parley.server(), bob);
    for (String[] args : new String[][] {
        {"send", bob, "--location", "91,0"},
        {"send", bob, "--location", "48.8,181"},
        {"send", bob, "--location", "NaN,2"},
        {"send", bob, "--location", "48,85837"},
        {"send", bob, "hello", "--location", "48.85837,2.29448"},
        {"send", bob, "hello", "--label", "Home"},
        {"send", bob}}) {
      Cli.Result refused = Cli.run(a, args);
      assertThat(refused.code()).as(String.join(" ", args)).isEqualTo(ExitCodes.USAGE);
      assertThat(refused.err()).as(String.join(" ", args)).startsWith("parley: ");
    }
    assertThat(Cli.run(a, "send", bob, "--location", "91,0").err())
        .contains("Latitude must be between -90 and 90 degrees, not 91.0");
    assertThat(Cli.run(a, "history", bob).code()).as("nothing was stored").isEqualTo(ExitCodes.NOT_FOUND);
  }

  @Test
  void aRequestIsPaidWithItsUtrAndBothSidesSeeIt() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path a = Cli.register(parley.server(), alice);
    Path b = Cli.register(parley.server(), bob);
    Path qr = Files.createTempDirectory("parley-qr").resolve("pay.png");

    Cli.Result asked = Cli.run(a, "pay-request", bob, "250.00", "--vpa", "alice@okbank", "--name", "Alice Sharma",
        "--note", "Dinner", "--qr", qr.toString());
    assertThat(asked.code()).as(asked.err()).isZero();
    String id = asked.lines().get(0);
    String link = asked.lines().get(1);
    assertThat(id).matches("[A-Z0-9]{20}");
    assertThat(link).isEqualTo("upi://pay?pa=alice@okbank&pn=Alice%20Sharma&am=250.00&cu=INR&tn=Dinner&tr=" + id);
    assertThat(QrCodes.readPng(qr)).isEqualTo(link);

    Cli.Result received = Cli.run(b, "receive", "--json", "--timeout", "1");
    JsonNode payment = json(received.lines().get(0)).path("payment");
    assertThat(payment.path("requestId").asText()).isEqualTo(id);
    assertThat(payment.path("role").asText()).isEqualTo("payer");
    assertThat(payment.path("state").asText()).isEqualTo("requested");
    assertThat(payment.path("upiLink").asText()).isEqualTo(link);

    // Each side does only its own part.
    Cli.Result requesterPays = Cli.run(a, "pay-status", id, "paid", "--utr", "123456789012");
    assertThat(requesterPays.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(requesterPays.err()).contains("Only the payer can mark a payment request paid");
    Cli.Result payerCancels = Cli.run(b, "pay-status", id, "cancelled");
    assertThat(payerCancels.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(payerCancels.err()).contains("Only the person who asked for the payment can cancel");
    for (String[] bad : new String[][] {{"paid"}, {"paid", "--utr", "12345"}, {"declined", "--utr", "123456789012"},
        {"refunded"}}) {
      String[] args = new String[bad.length + 2];
      args[0] = "pay-status";
      args[1] = id;
      System.arraycopy(bad, 0, args, 2, bad.length);
      assertThat(Cli.run(b, args).code()).as(String.join(" ", bad)).isEqualTo(ExitCodes.USAGE);
    }

    Cli.Result paid = Cli.run(b, "pay-status", id, "paid", "--utr", "412345678901");
    assertThat(paid.code()).as(paid.err()).isZero();
    assertThat(paid.out().strip()).isEqualTo(id + " paid (UTR 412345678901)");

    Cli.Result aliceHears = Cli.run(a, "receive", "--json", "--timeout", "1");
    assertThat(aliceHears.lines()).map(CliPlacesAndPaymentsTest::json)
        .anySatisfy(event -> {
          assertThat(event.path("type").asText()).isEqualTo("payment");
          assertThat(event.path("state").asText()).isEqualTo("paid");
          assertThat(event.path("utr").asText()).isEqualTo("412345678901");
        });
    assertThat(Cli.run(a, "history", bob).out()).contains("Payment request: ₹250.00 to Alice Sharma (alice@okbank): "
        + "Dinner  [paid (UTR 412345678901)] id " + id);
    assertThat(Cli.run(b, "history", alice).out()).contains("[paid (UTR 412345678901)] id " + id);
  }

  @Test
  void requestsAreDeclinedOrCancelledAndBadAmountsAndPayeesAreRefused() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path a = Cli.register(parley.server(), alice);
    Path b = Cli.register(parley.server(), bob);
    for (String amount : new String[] {"0", "-5", "1.234", "100000.01", "1,000"}) {
      Cli.Result refused = Cli.run(a, "pay-request", bob, amount, "--vpa", "alice@okbank");
      assertThat(refused.code()).as(amount).isEqualTo(ExitCodes.USAGE);
    }
    for (String vpa : new String[] {"alice", "a@okbank", "alice@ok bank", "alice@1bank"}) {
      Cli.Result refused = Cli.run(a, "pay-request", bob, "10", "--vpa", vpa);
      assertThat(refused.code()).as(vpa).isEqualTo(ExitCodes.USAGE);
      assertThat(refused.err()).as(vpa).contains("UPI ID");
    }
    assertThat(Cli.run(a, "pay-request", bob, "100000.01", "--vpa", "alice@okbank").err())
        .contains("UPI allows at most ₹1,00,000.00 in one payment");

    String declinedId = Cli.run(a, "pay-request", bob, "10", "--vpa", "alice@okbank").lines().get(0);
    String cancelledId = Cli.run(a, "pay-request", bob, "20", "--vpa", "alice@okbank", "--json").out();
    cancelledId = json(cancelledId).path("payment").path("requestId").asText();
    assertThat(Cli.run(b, "receive", "--timeout", "1").lines()).hasSize(2);

    assertThat(Cli.run(b, "pay-status", declinedId, "declined").code()).isZero();
    assertThat(Cli.run(a, "pay-status", cancelledId, "cancelled").code()).isZero();
    Cli.Result bobHears = Cli.run(b, "receive", "--timeout", "1");
    assertThat(bobHears.out()).contains("payment request " + cancelledId + " ₹20.00: cancelled");
    Cli.Result tooLate = Cli.run(b, "pay-status", cancelledId, "declined");
    assertThat(tooLate.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(tooLate.err()).contains("already cancelled");
    // Alice's pay-status connected after Bob declined, so the update may have arrived then: history has it.
    Cli.run(a, "receive", "--timeout", "1");
    assertThat(Cli.run(a, "history", bob).out()).contains("[declined] id " + declinedId)
        .contains("[cancelled] id " + cancelledId);
    assertThat(Cli.run(a, "pay-status", "NOSUCHREQUEST1", "cancelled").code()).isEqualTo(ExitCodes.NOT_FOUND);
  }

  @Test
  void theDaemonSendsPlacesAndRequestsAndReportsPaymentChanges() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path a = Cli.register(parley.server(), alice);
    Path b = Cli.register(parley.server(), bob);
    try (DaemonTest.Daemon daemon = new DaemonTest.Daemon(a)) {
      daemon.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"sendLocation\",\"params\":{\"number\":\"" + bob
          + "\",\"latitude\":19.0760,\"longitude\":72.8777,\"label\":\"Mumbai\"}}");
      assertThat(daemon.answer(1).path("result").path("location").path("label").asText()).isEqualTo("Mumbai");
      daemon.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"sendLocation\",\"params\":{\"number\":\"" + bob
          + "\",\"latitude\":-90.5,\"longitude\":0}}");
      assertThat(daemon.answer(2).path("error").path("code").asInt()).isEqualTo(JsonRpc.INVALID_PARAMS);
      assertThat(daemon.answer(2).path("error").path("message").asText()).contains("Latitude");

      daemon.send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"requestPayment\",\"params\":{\"number\":\"" + bob
          + "\",\"amount\":\"99.50\",\"vpa\":\"alice@okbank\",\"note\":\"Tea\"}}");
      JsonNode payment = daemon.answer(3).path("result").path("payment");
      String id = payment.path("requestId").asText();
      assertThat(payment.path("upiLink").asText())
          .isEqualTo("upi://pay?pa=alice@okbank&pn=alice&am=99.50&cu=INR&tn=Tea&tr=" + id);
      daemon.send("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"requestPayment\",\"params\":{\"number\":\"" + bob
          + "\",\"amount\":\"0\",\"vpa\":\"alice@okbank\"}}");
      assertThat(daemon.answer(4).path("error").path("code").asInt()).isEqualTo(JsonRpc.INVALID_PARAMS);

      await().atMost(Duration.ofSeconds(20)).until(() -> Cli.run(b, "receive", "--timeout", "1").out()
          .contains("id " + id));
      assertThat(Cli.run(b, "pay-status", id, "paid", "--utr", "998877665544").code()).isZero();
      await().atMost(Duration.ofSeconds(20)).until(() -> !daemon.notifications("payment").isEmpty());
      JsonNode changed = daemon.notifications("payment").get(0).path("params");
      assertThat(changed.path("state").asText()).isEqualTo("paid");
      assertThat(changed.path("utr").asText()).isEqualTo("998877665544");

      daemon.send("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"updatePayment\",\"params\":{\"requestId\":\"" + id
          + "\",\"state\":\"cancelled\"}}");
      assertThat(daemon.answer(5).path("error").path("message").asText()).contains("already paid");
      daemon.send("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"payment\",\"params\":{\"requestId\":\"" + id + "\"}}");
      assertThat(daemon.answer(6).path("result").path("state").asText()).isEqualTo("paid");
    }
  }
}
