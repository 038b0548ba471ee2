package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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

  @TempDir
  Path temp;

  @Test
  void aFileOverTheServersCapIsAClearErrorMentioningTheLimitAndNothingArrives() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path a = Cli.register(parley.server(), alice);
    Path b = Cli.register(parley.server(), bob);
    Path big = TestFiles.random(temp, "video.mp4", 2L << 20, 2);

    Cli.Result sent = Cli.run(a, "send", bob, "-a", big.toString(), "too big");
    assertThat(sent.code()).as(sent.out()).isNotZero();
    assertThat(sent.out()).isEmpty();
    assertThat(sent.err()).contains("video.mp4").containsPattern("(?i)limit|larger than");

    Cli.Result received = Cli.run(b, "receive", "--timeout", "1");
    assertThat(received.code()).as(received.err()).isZero();
    assertThat(received.out()).doesNotContain("too big");
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
  }
}
