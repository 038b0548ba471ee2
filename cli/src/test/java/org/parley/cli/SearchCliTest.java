package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;

/** {@code parley search}: 1:1 and group messages together, newest first, as text and JSON; bad input. */
class SearchCliTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  private static JsonNode json(String text) {
    try {
      return Json.MAPPER.readTree(text);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  @Test
  void findsOneToOneAndGroupMessagesWithGroupAndSender() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path a = Cli.register(parley.server(), alice);
    Path b = Cli.register(parley.server(), bob);
    Cli.Result created = Cli.run(a, "group", "create", "Climbing", bob);
    assertThat(created.code()).as(created.err()).isZero();
    String group = created.lines().get(0);
    assertThat(Cli.run(b, "receive", "--timeout", "1").code()).isZero();
    assertThat(Cli.run(b, "send", "--group", group, "Rope for Saturday?").code()).isZero();
    assertThat(Cli.run(b, "send", alice, "the rope is in my car").code()).isZero();
    assertThat(Cli.run(a, "receive", "--timeout", "1").code()).isZero();

    Cli.Result text = Cli.run(a, "search", "ROPE");
    assertThat(text.code()).as(text.err()).isZero();
    assertThat(text.lines()).hasSize(2);
    assertThat(text.lines().get(0)).startsWith(bob + "  ").contains("<< the rope is in my car");
    assertThat(text.lines().get(1)).contains("[Climbing] " + bob + ": Rope for Saturday?");

    JsonNode hits = json(Cli.run(a, "search", "rope", "--json", "--limit", "5").out());
    assertThat(hits).hasSize(2);
    assertThat(hits.get(0).path("number").asText()).isEqualTo(bob);
    assertThat(hits.get(1).path("type").asText()).isEqualTo("groupMessage");
    assertThat(hits.get(1).path("group").asText()).isEqualTo(group);
    assertThat(hits.get(1).path("groupName").asText()).isEqualTo("Climbing");
    assertThat(hits.get(1).path("sender").asText()).isEqualTo(bob);
    assertThat(json(Cli.run(a, "search", "rope", "--json", "--limit", "1").out())).hasSize(1);

    assertThat(Cli.run(a, "search", "nothing of the sort").out()).isBlank();
    Cli.Result badLimit = Cli.run(a, "search", "rope", "--limit", "0");
    assertThat(badLimit.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(badLimit.err()).contains("between 1 and 1000");
    Cli.Result blank = Cli.run(a, "search", "  ");
    assertThat(blank.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(blank.err()).contains("needs some text");
  }
}
