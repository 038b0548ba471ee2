package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;

/**
 * {@code parley group …}, {@code send --group}, group lines in {@code receive}/{@code history}, the daemon's group
 * methods.
 */
class GroupCliTest {

  static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  @Test
  void threeUsersCreateTalkAndChangeAGroupFromTheCommandLine() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    String carol = Users.newNumber();
    Path a = Cli.register(parley.server(), alice);
    Path b = Cli.register(parley.server(), bob);
    Path c = Cli.register(parley.server(), carol);

    Cli.Result created = Cli.run(a, "group", "create", "Climbing", bob, carol);
    assertThat(created.code()).as(created.err()).isZero();
    String group = created.lines().get(0);
    assertThat(group).matches("[0-9a-f]{32}");
    assertThat(created.out()).contains("Climbing").contains(alice + "  admin").contains(bob);

    Cli.Result sent = Cli.run(a, "send", "--group", group, "Saturday at 9?");
    assertThat(sent.code()).as(sent.err()).isZero();
    assertThat(sent.out().strip()).matches("\\d+");

    Cli.Result bobReceives = Cli.run(b, "receive", "--json", "--timeout", "1");
    assertThat(bobReceives.code()).as(bobReceives.err()).isZero();
    JsonNode event = bobReceives.lines().stream().map(GroupCliTest::json)
        .filter(n -> n.path("type").asText().equals("groupEvent")).findFirst().orElseThrow();
    assertThat(event.path("kind").asText()).isEqualTo("created");
    JsonNode message = bobReceives.lines().stream().map(GroupCliTest::json)
        .filter(n -> n.path("type").asText().equals("groupMessage")).findFirst().orElseThrow();
    assertThat(message.path("group").asText()).isEqualTo(group);
    assertThat(message.path("sender").asText()).isEqualTo(alice);
    assertThat(message.path("text").asText()).isEqualTo("Saturday at 9?");

    assertThat(Cli.run(b, "send", "-g", group, "Yes!").code()).isZero();
    Cli.Result carolReceives = Cli.run(c, "receive", "--timeout", "1");
    assertThat(carolReceives.out()).contains(alice + ": Saturday at 9?").contains(bob + ": Yes!");
    assertThat(Cli.run(c, "group", "read", group).out()).contains("Marked 2 messages read");

    Cli.Result history = Cli.run(a, "history", "--group", group, "--json");
    assertThat(history.code()).as(history.err()).isZero();
    assertThat(Cli.run(a, "receive", "--timeout", "1").code()).isZero();
    JsonNode entries = json(Cli.run(a, "history", "--group", group, "--json").out());
    assertThat(entries.get(0).path("type").asText()).isEqualTo("groupEvent");
    assertThat(entries.get(1).path("text").asText()).isEqualTo("Saturday at 9?");
    assertThat(entries.get(2).path("sender").asText()).isEqualTo(bob);
    assertThat(Cli.run(a, "history", "--group", group).out()).contains("[Climbing] -- " + alice + " created the group")
        .contains("[Climbing] " + bob + ": Yes!");
    long messageId = entries.get(1).path("id").asLong();
    JsonNode info = json(Cli.run(a, "group", "message-info", Long.toString(messageId)).out());
    assertThat(info.path("members")).hasSize(2);
    assertThat(info.path("members").findValues("read").stream().filter(JsonNode::asBoolean)).hasSize(1);

    // Admin rules and changes.
    Cli.Result notAdmin = Cli.run(b, "group", "rename", group, "Bouldering");
    assertThat(notAdmin.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(notAdmin.err()).contains("only admins may rename the group");
    assertThat(Cli.run(a, "group", "promote", group, bob).code()).isZero();
    assertThat(Cli.run(b, "receive", "--timeout", "1").out()).contains(alice + " made " + bob + " admin");
    assertThat(Cli.run(b, "group", "rename", group, "Bouldering").code()).isZero();
    assertThat(Cli.run(a, "group", "remove", group, carol).code()).isZero();
    // Bob's rename and Alice's removal were made at the same revision: one wins the tie everywhere, and the author of
    // the other makes it again on top of it, so both hold once each side has received.
    // (Alice's own command may already have received Bob's rename: which side redoes depends on the tie.)
    Cli.run(a, "receive", "--timeout", "1");
    Cli.run(b, "receive", "--timeout", "1");
    Cli.run(a, "receive", "--timeout", "1");
    Cli.run(b, "receive", "--timeout", "1");
    assertThat(Cli.run(a, "history", "--group", group).out()).contains("renamed the group to \"Bouldering\"")
        .contains(alice + " removed " + carol);
    JsonNode atAlice = json(Cli.run(a, "group", "info", group, "--json").out());
    JsonNode atBob = json(Cli.run(b, "group", "info", group, "--json").out());
    for (String field : List.of("name", "revision", "members")) {
      assertThat(atAlice.path(field)).as(field).isEqualTo(atBob.path(field));
    }
    assertThat(atAlice.path("name").asText()).isEqualTo("Bouldering");
    assertThat(atAlice.path("members")).hasSize(2);
    Cli.Result carolGone = Cli.run(c, "receive", "--timeout", "1");
    assertThat(carolGone.out()).contains(alice + " removed " + carol);
    Cli.Result carolSends = Cli.run(c, "send", "--group", group, "wait");
    assertThat(carolSends.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(carolSends.err()).contains("no longer a member");
    assertThat(Cli.run(b, "group", "leave", group).code()).isZero();
    assertThat(Cli.run(a, "receive", "--timeout", "1").out()).contains(bob + " left");
    JsonNode state = json(Cli.run(a, "group", "info", group, "--json").out());
    assertThat(state.path("name").asText()).isEqualTo("Bouldering");
    assertThat(state.path("members")).hasSize(1);
    assertThat(Cli.run(a, "group", "list").out()).contains(group + "  Bouldering  1 members");

    // Bad input: exit codes as for everything else.
    assertThat(Cli.run(a, "send", "--group", "xyz", "hi").code()).isEqualTo(ExitCodes.USAGE);
    assertThat(Cli.run(a, "send", "--group", "0".repeat(32), "hi").code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(Cli.run(a, "group", "create", "Nobody", Users.newNumber()).code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(Cli.run(a, "group").code()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void theDaemonCreatesSendsAndReportsGroups() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path a = Cli.register(parley.server(), alice);
    Path b = Cli.register(parley.server(), bob);
    try (DaemonTest.Daemon daemon = new DaemonTest.Daemon(a)) {
      daemon.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"groupCreate\",\"params\":{\"name\":\"Bots\","
          + "\"members\":[\"" + bob + "\"]}}");
      JsonNode created = daemon.answer(1).path("result");
      String group = created.path("group").asText();
      assertThat(created.path("members")).hasSize(2);
      daemon.send("{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"groupSend\",\"params\":{\"group\":\"" + group
          + "\",\"text\":\"beep\"}}");
      assertThat(daemon.answer(2).path("result").path("status").asText()).isEqualTo("pending");
      await().atMost(WAIT).until(() -> daemon.notifications("groupStatus").stream()
          .anyMatch(n -> n.path("params").path("status").asText().equals("sent")));

      assertThat(Cli.run(b, "receive", "--timeout", "1").out()).contains(alice + ": beep");
      assertThat(Cli.run(b, "send", "--group", group, "boop").code()).isZero();
      await().atMost(WAIT).until(() -> daemon.notifications("groupReceive").size() == 1);
      JsonNode received = daemon.notifications("groupReceive").get(0).path("params");
      assertThat(received.path("sender").asText()).isEqualTo(bob);
      assertThat(received.path("group").asText()).isEqualTo(group);

      daemon.send("{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"groupHistory\",\"params\":{\"group\":\"" + group
          + "\"}}");
      assertThat(daemon.answer(3).path("result")).hasSize(3);
      daemon.send("{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"groupList\"}");
      assertThat(daemon.answer(4).path("result").get(0).path("name").asText()).isEqualTo("Bots");
      daemon.send("{\"jsonrpc\":\"2.0\",\"id\":5,\"method\":\"groupSend\",\"params\":{\"group\":\"nope\","
          + "\"text\":\"x\"}}");
      assertThat(daemon.answer(5).path("error").path("code").asInt()).isEqualTo(JsonRpc.INVALID_PARAMS);
      daemon.send("{\"jsonrpc\":\"2.0\",\"id\":6,\"method\":\"groupInfo\",\"params\":{\"group\":\""
          + "0".repeat(32) + "\"}}");
      assertThat(daemon.answer(6).path("error").path("code").asInt()).isEqualTo(JsonRpc.NOT_FOUND);
      daemon.send("{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"groupCreate\",\"params\":{\"name\":\"x\"}}");
      assertThat(daemon.answer(7).path("error").path("code").asInt()).isEqualTo(JsonRpc.INVALID_PARAMS);
    }
  }

  private static JsonNode json(String line) {
    try {
      return Json.MAPPER.readTree(line);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
