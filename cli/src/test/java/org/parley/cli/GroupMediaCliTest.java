package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;

/**
 * Files and pictures in groups from the command line: {@code send --group --attachment}, {@code receive --save-dir},
 * {@code group picture}, {@code group info}, and the daemon's {@code send {groupId, attachments}}.
 */
class GroupMediaCliTest {

  static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  @TempDir
  Path tmp;

  @Test
  void filesAndAGroupPictureGoToEveryMemberFromTheCommandLine() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    String carol = Users.newNumber();
    Path a = Cli.register(parley.server(), alice);
    Path b = Cli.register(parley.server(), bob);
    Path c = Cli.register(parley.server(), carol);
    String group = Cli.run(a, "group", "create", "Hikers", bob, carol).lines().get(0);

    Path file = TestFiles.random(tmp, "route.gpx", 200_000, 3);
    Path picture = TestFiles.pictureWithGps(tmp, "summit.jpg");
    Cli.Result sent = Cli.run(a, "send", "--group", group, "--attachment", file.toString(), "--attachment",
        picture.toString(), "The route");
    assertThat(sent.code()).as(sent.err()).isZero();
    assertThat(sent.out()).contains("route.gpx").contains("summit.jpg");

    for (Path member : new Path[] {b, c}) {
      Path saveDir = Files.createDirectories(tmp.resolve("saved-" + member.getFileName()));
      Cli.Result received = Cli.run(member, "receive", "--json", "--timeout", "1", "--save-dir",
          saveDir.toString());
      assertThat(received.code()).as(received.err()).isZero();
      JsonNode message = received.lines().stream().map(GroupMediaCliTest::json)
          .filter(n -> n.path("type").asText().equals("groupMessage")).findFirst().orElseThrow();
      assertThat(message.path("text").asText()).isEqualTo("The route");
      assertThat(message.path("sender").asText()).isEqualTo(alice);
      assertThat(message.path("attachments")).hasSize(2);
      Path savedFile = Path.of(message.path("attachments").get(0).path("savedPath").asText());
      assertThat(TestFiles.sha256(savedFile)).isEqualTo(TestFiles.sha256(file));
      Path savedPicture = Path.of(message.path("attachments").get(1).path("savedPath").asText());
      assertThat(TestFiles.gpsOf(savedPicture)).as("GPS in the received picture").isEmpty();
    }

    // The group picture: the admin sets it, a member who is no admin may not, info shows it everywhere.
    Cli.Result set = Cli.run(a, "group", "picture", group, picture.toString());
    assertThat(set.code()).as(set.err()).isZero();
    assertThat(set.out()).contains("picture: attachment").contains("summit.jpg");
    Cli.Result refused = Cli.run(b, "group", "picture", group, picture.toString());
    assertThat(refused.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(refused.err()).contains("only admins may change the group's picture");
    assertThat(Cli.run(b, "receive", "--timeout", "1").out()).contains(alice + " changed the group's picture");
    await().atMost(WAIT).until(() -> {
      JsonNode info = json(Cli.run(b, "group", "info", group, "--json").out());
      return info.path("picture").path("state").asText().equals("downloaded");
    });
    JsonNode info = json(Cli.run(b, "group", "info", group, "--json").out());
    assertThat(info.path("picture").path("contentType").asText()).isEqualTo("image/jpeg");
    Path savedAvatar = Path.of(Cli.run(b, "attachment", "save", info.path("picture").path("id").asText(), "-o",
        Files.createDirectories(tmp.resolve("avatar")).toString()).out().strip());
    assertThat(TestFiles.gpsOf(savedAvatar)).isEmpty();

    assertThat(Cli.run(a, "group", "picture", group).code()).isEqualTo(ExitCodes.USAGE);
    assertThat(Cli.run(a, "group", "picture", group, file.toString()).err()).contains("is not a picture");
    assertThat(Cli.run(a, "group", "picture", group, "--remove").code()).isZero();
    assertThat(json(Cli.run(a, "group", "info", group, "--json").out()).has("picture")).isFalse();
  }

  @Test
  void theDaemonSendsFilesToAGroup() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path a = Cli.register(parley.server(), alice);
    Path b = Cli.register(parley.server(), bob);
    String group = Cli.run(a, "group", "create", "Bots", bob).lines().get(0);
    Path file = TestFiles.random(tmp, "data.bin", 50_000, 4);
    try (DaemonTest.Daemon daemon = new DaemonTest.Daemon(a)) {
      daemon.send("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"send\",\"params\":{\"groupId\":\"" + group
          + "\",\"text\":\"here\",\"attachments\":[\"" + file + "\"]}}");
      JsonNode result = daemon.answer(1).path("result");
      assertThat(result.path("type").asText()).isEqualTo("groupMessage");
      assertThat(result.path("attachments")).hasSize(1);
      await().atMost(WAIT).until(() -> daemon.notifications("groupStatus").stream()
          .anyMatch(n -> n.path("params").path("status").asText().equals("sent")));
    }
    Path saveDir = Files.createDirectories(tmp.resolve("bob"));
    Cli.Result received = Cli.run(b, "receive", "--timeout", "1", "--save-dir", saveDir.toString());
    assertThat(received.code()).as(received.err()).isZero();
    assertThat(received.out()).contains(alice + ": here").contains("saved to");
    assertThat(TestFiles.sha256(saveDir.resolve("data.bin"))).isEqualTo(TestFiles.sha256(file));
  }

  private static JsonNode json(String line) {
    try {
      return Json.MAPPER.readTree(line);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
