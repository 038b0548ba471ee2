package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;

/** The parley command end to end: real picocli commands, real server on loopback, real clients. */
class CliTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  static Path register(String number) throws Exception {
    return Cli.register(parley.server(), number);
  }

  static JsonNode json(String line) throws Exception {
    return Json.MAPPER.readTree(line);
  }

  @Test
  void twoUsersChatAndSeeTheTicksInHistory() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path a = register(alice);
    Path b = register(bob);

    Cli.Result sent = Cli.run(a, "send", bob, "Hi Bob ✓ ünïcode");
    assertThat(sent.code()).as(sent.err()).isZero();
    long timestamp = Long.parseLong(sent.out().strip());
    assertThat(Cli.run(a, "history", bob).out()).contains(">> Hi Bob ✓ ünïcode  [✓ sent]");

    Cli.Result received = Cli.run(b, "receive", "--json", "--timeout", "1");
    assertThat(received.code()).as(received.err()).isZero();
    assertThat(received.lines()).hasSize(1);
    JsonNode message = json(received.lines().get(0));
    assertThat(message.get("type").asText()).isEqualTo("message");
    assertThat(message.get("number").asText()).isEqualTo(alice);
    assertThat(message.get("text").asText()).isEqualTo("Hi Bob ✓ ünïcode");
    assertThat(message.get("timestamp").asLong()).isEqualTo(timestamp);

    Cli.Result receipts = Cli.run(a, "receive", "--timeout", "1");
    assertThat(receipts.out()).contains("[✓✓ delivered] Hi Bob");
    assertThat(Cli.run(a, "history", bob).out()).contains("[✓✓ delivered]");

    Cli.Result read = Cli.run(b, "mark-read", alice);
    assertThat(read.code()).as(read.err()).isZero();
    assertThat(read.out()).contains("Marked 1 message read");
    Cli.Result reply = Cli.run(b, "send", alice, "Hi Alice");
    assertThat(reply.code()).as(reply.err()).isZero();

    Cli.Result aliceReceives = Cli.run(a, "receive", "--timeout", "1");
    assertThat(aliceReceives.out()).contains(bob + ": Hi Alice").contains("[✓✓ read] Hi Bob");
    Cli.Result history = Cli.run(a, "history", bob, "--json");
    JsonNode array = json(history.out());
    assertThat(array).hasSize(2);
    assertThat(array.get(0).get("status").asText()).isEqualTo("read");
    assertThat(array.get(1).get("direction").asText()).isEqualTo("incoming");
    assertThat(Cli.run(a, "history", bob).out()).contains("<< Hi Alice  [unread]");

    Cli.Result contacts = Cli.run(a, "contacts");
    assertThat(contacts.out()).contains(bob + "  1 unread");
    Cli.Result fromAlice = Cli.run(a, "safety-number", bob);
    Cli.Result fromBob = Cli.run(b, "safety-number", alice);
    assertThat(fromAlice.out().strip()).matches("(\\d{5} ){11}\\d{5}").isEqualTo(fromBob.out().strip());
  }

  @Test
  void exitCodesTellUsageNetworkAuthenticationAndNotFoundApart() throws Exception {
    String alice = Users.newNumber();
    Path a = register(alice);

    assertThat(Cli.run(null, "history", alice).code()).as("no -d").isEqualTo(ExitCodes.USAGE);
    assertThat(Cli.run(a).code()).as("no command").isEqualTo(ExitCodes.USAGE);
    assertThat(Cli.run(a, "frobnicate").code()).isEqualTo(ExitCodes.USAGE);
    Cli.Result badNumber = Cli.run(a, "send", "5551234", "hi");
    assertThat(badNumber.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(badNumber.err()).contains("E.164");
    assertThat(Cli.run(a, "-s", "ftp://example", "contacts").code()).isEqualTo(ExitCodes.USAGE);

    Cli.Result unknown = Cli.run(a, "send", Users.newNumber(), "anyone there?");
    assertThat(unknown.code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(unknown.err()).contains("No Parley account");
    assertThat(Cli.run(a, "history", Users.newNumber()).code()).isEqualTo(ExitCodes.NOT_FOUND);

    Path fresh = Files.createTempDirectory("parley-cli");
    Cli.Result notRegistered = Cli.run(fresh, "contacts");
    assertThat(notRegistered.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(notRegistered.err()).contains("Not registered");
    assertThat(Cli.run(fresh, "verify", "123456").code()).isEqualTo(ExitCodes.ERROR);

    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Cli.Result offline = Cli.run(fresh, "-s", "http://127.0.0.1:" + closedPort, "register", Users.newNumber());
    assertThat(offline.code()).isEqualTo(ExitCodes.NETWORK);
    assertThat(offline.err()).contains("Cannot reach the server");

    Path pending = Files.createTempDirectory("parley-cli");
    String number = Users.newNumber();
    assertThat(Cli.run(pending, "-s", parley.url().toString(), "register", number).code()).isZero();
    String wrong = parley.server().lastCode(number).equals("000000") ? "111111" : "000000";
    Cli.Result wrongCode = Cli.run(pending, "verify", wrong);
    assertThat(wrongCode.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(Cli.run(pending, "verify", "not-a-code").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(Cli.run(pending, "verify", parley.server().lastCode(number)).code()).isZero();

    // Registering the number again elsewhere revokes this directory's credentials.
    register(alice);
    Cli.Result revoked = Cli.run(a, "receive", "--timeout", "1");
    assertThat(revoked.code()).as(revoked.err()).isEqualTo(ExitCodes.AUTHENTICATION);
    Cli.Result revokedSend = Cli.run(a, "safety-number", Users.newNumber());
    assertThat(revokedSend.code()).isEqualTo(ExitCodes.AUTHENTICATION);
  }

  @Test
  void aMessageSentWhileTheServerIsUnreachableGoesOutWithTheNextConnection() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path a = register(alice);
    Path b = register(bob);
    assertThat(Cli.run(a, "send", bob, "first").code()).isZero();
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    Cli.Result offline = Cli.run(a, "-s", "http://127.0.0.1:" + closedPort, "send", "--timeout", "1", bob,
        "second, from the train");
    assertThat(offline.code()).isEqualTo(ExitCodes.NETWORK);
    assertThat(offline.err()).contains("stays in the outbox");
    assertThat(Cli.run(a, "history", bob).out()).contains(">> second, from the train  [… pending]");

    assertThat(Cli.run(a, "receive", "--timeout", "1").code()).isZero();
    assertThat(Cli.run(a, "history", bob).out()).contains(">> second, from the train  [✓ sent]");
    Cli.Result received = Cli.run(b, "receive", "--timeout", "1");
    assertThat(received.lines()).hasSize(2);
    assertThat(received.lines().get(1)).endsWith(alice + ": second, from the train");
  }
}
