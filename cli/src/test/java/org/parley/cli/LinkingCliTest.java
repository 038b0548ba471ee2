package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.AuthenticationException;
import org.parley.client.api.LinkResult;
import org.parley.client.api.ParleyClient;
import org.parley.testing.Linker;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;

/** The CLI as the phone: it links a headless client-core device from its QR code, lists and unlinks devices. */
class LinkingCliTest {

  static final Duration WAIT = Duration.ofSeconds(30);
  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  static Path register(String number) throws Exception {
    return Cli.register(parley.server(), number);
  }

  @Test
  void theCliPrimaryLinksADeviceFromItsQrCodeAndBothGetEveryMessage() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path phone = register(alice);
    Linker desktop = parley.link("desktop");
    try (ParleyClient d = desktop.client; ParleyClient b = parley.register(bob).client()) {
      Path png = Files.createTempDirectory("parley-qr").resolve("link.png");
      QrCodes.writePng(desktop.currentLink(), png);

      Cli.Result added = Cli.run(phone, "add-device", "--qr", png.toString(), "--profile-name", "Alice");
      assertThat(added.code()).as(added.err()).isZero();
      assertThat(added.out()).contains("Linked device 2 (desktop)");
      LinkResult linked = desktop.awaitLinked();
      assertThat(linked.account().number()).isEqualTo(alice);
      assertThat(linked.profileName()).isEqualTo("Alice");

      Cli.Result devices = Cli.run(phone, "devices");
      assertThat(devices.code()).as(devices.err()).isZero();
      assertThat(devices.lines()).hasSize(2);
      assertThat(devices.lines().get(0)).startsWith("1\tparley").contains("(primary)", "(this device)");
      assertThat(devices.lines().get(1)).startsWith("2\tdesktop").doesNotContain("(this device)");

      d.connect();
      b.connect();
      b.send(alice, "to both of you");
      await().atMost(WAIT).ignoreExceptions().until(() -> d.history(bob, 10).stream()
          .anyMatch(m -> m.text().equals("to both of you")));
      Cli.Result received = Cli.run(phone, "receive", "--timeout", "1");
      assertThat(received.out()).contains(bob + ": to both of you");

      d.send(bob, "sent on the desktop");
      await().atMost(WAIT).until(() -> b.history(alice, 10).stream()
          .anyMatch(m -> m.text().equals("sent on the desktop")));
      Cli.Result synced = Cli.run(phone, "receive", "--timeout", "1");
      assertThat(synced.code()).as(synced.err()).isZero();
      assertThat(Cli.run(phone, "history", bob).out()).contains(">> sent on the desktop");

      Cli.Result notPrimary = Cli.run(phone, "unlink", "1");
      assertThat(notPrimary.code()).isEqualTo(ExitCodes.USAGE);
      assertThat(Cli.run(phone, "unlink", "9").code()).isEqualTo(ExitCodes.NOT_FOUND);
      Cli.Result unlinked = Cli.run(phone, "unlink", "2");
      assertThat(unlinked.code()).as(unlinked.err()).isZero();
      assertThat(Cli.run(phone, "devices").lines()).hasSize(1);
      assertThatThrownBy(d::devices).isInstanceOf(AuthenticationException.class);
    }
  }

  @Test
  void linkPrintsTheUriFirstWritesTheQrAndWaitsUntilAddedByTheCliPrimary() throws Exception {
    String alice = Users.newNumber();
    Path phone = register(alice);
    Path newDevice = Files.createTempDirectory("parley-cli-linked");
    Path png = newDevice.resolve("qr.png");
    CompletableFuture<Cli.Result> link = CompletableFuture.supplyAsync(() -> Cli.run(newDevice, "-s",
        parley.url().toString(), "link", "--name", "laptop", "--qr-file", png.toString(), "--timeout", "60"));
    await().atMost(WAIT).until(() -> Files.exists(png));

    Cli.Result added = Cli.run(phone, "add-device", "--qr", png.toString());
    assertThat(added.code()).as(added.err()).isZero();
    assertThat(added.out()).contains("Linked device 2 (laptop)");
    Cli.Result result = link.get(60, TimeUnit.SECONDS);
    assertThat(result.code()).as(result.err()).isZero();
    assertThat(result.lines().get(0)).startsWith("parley://link?uuid=");
    assertThat(result.lines().get(result.lines().size() - 1)).isEqualTo("Linked as device 2 of " + alice);
    // The linked CLI directory now works as that account.
    Cli.Result devices = Cli.run(newDevice, "devices");
    assertThat(devices.out()).contains("2\tlaptop").contains("(this device)");
    // And the URI printed works as well as the image (here: already used, so the device is no longer waiting).
    Cli.Result again = Cli.run(phone, "add-device", result.lines().get(0));
    assertThat(again.code()).isEqualTo(ExitCodes.NOT_FOUND);
    assertThat(again.err()).contains("no longer waiting");
    // A linked device cannot link others.
    assertThat(Cli.run(newDevice, "add-device", result.lines().get(0)).code()).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void badLinkInputGetsClearErrors() throws Exception {
    Path phone = register(Users.newNumber());
    Path dir = Files.createTempDirectory("parley-qr-bad");
    Path text = Files.writeString(dir.resolve("not-an-image.png"), "hello");
    Path blank = dir.resolve("blank.png");
    ImageIO.write(new BufferedImage(200, 200,
        BufferedImage.TYPE_INT_RGB), "png", blank.toFile());

    Cli.Result neither = Cli.run(phone, "add-device");
    assertThat(neither.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(neither.err()).contains("either the link URI or --qr");
    Cli.Result notImage = Cli.run(phone, "add-device", "--qr", text.toString());
    assertThat(notImage.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(notImage.err()).contains("is not an image");
    Cli.Result noCode = Cli.run(phone, "add-device", "--qr", blank.toString());
    assertThat(noCode.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(noCode.err()).contains("No readable QR code");
    Cli.Result missing = Cli.run(phone, "add-device", "--qr", dir.resolve("missing.png").toString());
    assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
    Cli.Result notALink = Cli.run(phone, "add-device", "https://example.com/");
    assertThat(notALink.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(notALink.err()).contains("Not a Parley link");
    Cli.Result registered = Cli.run(phone, "link", "--timeout", "1");
    assertThat(registered.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(registered.err()).contains("already registered");
  }
}
