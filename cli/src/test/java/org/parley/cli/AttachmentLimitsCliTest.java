package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;

/** A server with a 1 MiB attachment cap and attachments that expire after 2 s: the CLI's errors for both. */
class AttachmentLimitsCliTest {

  static final Duration TTL = Duration.ofSeconds(2);

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder()
      .setting("PARLEY_ATTACHMENTS_MAX_SIZE", "1m")
      .setting("PARLEY_ATTACHMENTS_TTL", TTL.toSeconds() + "s")
      .build();

  /** The server's cap in the error, as bytes or megabytes. */
  static final String LIMIT = "1048576|1\\.0 MB";

  @TempDir
  Path temp;

  @Test
  void aFileOverTheServersCapIsAClearErrorMentioningTheLimitAndNothingArrives() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path a = Cli.register(parley.server(), alice);
    Path b = Cli.register(parley.server(), bob);
    Path big = TestFiles.random(temp, "video.mp4", 2L << 20, 2);

    // This client has not heard of the cap yet: the server refuses the upload slot (413), the message fails.
    Cli.Result sent = Cli.run(a, "send", bob, "-a", big.toString(), "too big");
    assertThat(sent.code()).as(sent.err()).isEqualTo(ExitCodes.ERROR);
    assertThat(sent.out()).isEmpty();
    assertThat(sent.err()).as(sent.err()).contains("not sent to " + bob, "video.mp4").containsPattern(LIMIT);
    assertThat(Cli.run(a, "history", bob).out()).contains(">> too big  [✗ failed]");
    // A slot the server grants tells the client the cap; from then on an oversize file is refused before anything
    // is queued, as bad input.
    Path small = TestFiles.random(temp, "small.bin", 1000, 1);
    assertThat(Cli.run(a, "send", bob, "-a", small.toString(), "small").code()).isZero();
    Cli.Result again = Cli.run(a, "send", bob, "-a", big.toString(), "still too big");
    assertThat(again.code()).as(again.err()).isEqualTo(ExitCodes.USAGE);
    assertThat(again.err()).as(again.err()).contains("video.mp4").containsPattern(LIMIT);
    assertThat(Cli.run(a, "history", bob).out()).doesNotContain("still too big");

    Cli.Result received = Cli.run(b, "receive", "--timeout", "1");
    assertThat(received.code()).as(received.err()).isZero();
    assertThat(received.out()).doesNotContain("too big").contains(alice + ": small");
  }

  @Test
  void anAttachmentPastItsTimeOnTheServerIsNoLongerAvailable() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path a = Cli.register(parley.server(), alice);
    Path b = Cli.register(parley.server(), bob);
    Path file = TestFiles.random(temp, "old.bin", 10_000, 10);

    assertThat(Cli.run(a, "send", bob, "-a", file.toString(), "old news").code()).isZero();
    // The server's clock follows the system's: let the attachment pass its time to live.
    Thread.sleep(TTL.plusMillis(500).toMillis());

    Path saveDir = Files.createDirectory(temp.resolve("saved"));
    Cli.Result received = Cli.run(b, "receive", "--timeout", "1", "--save-dir", saveDir.toString());
    assertThat(received.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(received.err()).contains("old.bin").contains("no longer available");
    assertThat(received.out()).contains(alice + ": old news");
    assertThat(TestFiles.entries(saveDir)).isEmpty();
    Cli.Result history = Cli.run(b, "history", alice);
    assertThat(history.out()).contains("old.bin").contains("[expired");
    Matcher id = Pattern.compile("attachment (\\d+): old\\.bin").matcher(history.out());
    assertThat(id.find()).isTrue();
    Cli.Result save = Cli.run(b, "attachment", "save", id.group(1), "-o", saveDir.toString());
    assertThat(save.code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(save.err()).contains("old.bin").contains("no longer available");
    assertThat(TestFiles.entries(saveDir)).isEmpty();
  }
}
