package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;

/** {@code parley add-device} hands the new device the groups the account is in, without waiting for a change. */
class GroupLinkCliTest {

  static final Duration WAIT = Duration.ofSeconds(30);

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  @Test
  void aDeviceLinkedFromTheCliKnowsTheGroupsAndReadsAndWritesInThem() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path phone = Cli.register(parley.server(), alice);
    Path b = Cli.register(parley.server(), bob);
    Cli.Result created = Cli.run(phone, "group", "create", "Climbing", bob);
    assertThat(created.code()).as(created.err()).isZero();
    String group = created.lines().get(0);

    Path laptop = Files.createTempDirectory("parley-cli-linked");
    Path png = laptop.resolve("qr.png");
    CompletableFuture<Cli.Result> link = CompletableFuture.supplyAsync(() -> Cli.run(laptop, "-s",
        parley.url().toString(), "link", "--name", "laptop", "--qr-file", png.toString(), "--timeout", "60"));
    await().atMost(WAIT).until(() -> Files.exists(png));
    Cli.Result added = Cli.run(phone, "add-device", "--qr", png.toString());
    assertThat(added.code()).as(added.err()).isZero();
    assertThat(link.get(60, TimeUnit.SECONDS).code()).isZero();

    Cli.Result synced = Cli.run(laptop, "receive", "--timeout", "1");
    assertThat(synced.out()).contains("The group \"Climbing\" was synced to this device");
    assertThat(Cli.run(laptop, "group", "list").out()).contains(group + "  Climbing  2 members");

    assertThat(Cli.run(b, "receive", "--timeout", "1").code()).isZero();
    assertThat(Cli.run(b, "send", "--group", group, "Saturday?").code()).isZero();
    assertThat(Cli.run(laptop, "receive", "--timeout", "1").out()).contains(bob + ": Saturday?");
    assertThat(Cli.run(laptop, "send", "--group", group, "Yes, from the laptop").code()).isZero();
    assertThat(Cli.run(b, "receive", "--timeout", "1").out()).contains(alice + ": Yes, from the laptop");
  }
}
