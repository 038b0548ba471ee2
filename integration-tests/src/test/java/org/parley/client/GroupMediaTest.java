package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.parley.client.AttachmentMessagingTest.filesContaining;
import static org.parley.client.AttachmentMessagingTest.gpsOf;
import static org.parley.client.AttachmentMessagingTest.pictureWithGps;
import static org.parley.client.AttachmentMessagingTest.plaintext;
import static org.parley.client.AttachmentMessagingTest.randomWithMarker;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.attachments.AttachmentState;
import org.parley.client.api.attachments.OutgoingAttachment;
import org.parley.client.api.groups.GroupId;
import org.parley.client.api.groups.GroupInfo;
import org.parley.client.api.groups.GroupMessage;
import org.parley.client.api.groups.GroupPermissionException;
import org.parley.client.internal.ClientComponents;
import org.parley.client.internal.connection.FaultInjection;
import org.parley.testing.Linker;
import org.parley.testing.TestUser;

/**
 * Pictures and files in groups (ADR 0140, "Attachments and pictures"), on a real server with real libsignal: three
 * users and Alice's linked desktop; the group picture travels in the encrypted group state, a group message's file
 * is uploaded once and reaches every member device, and the server never holds either in the clear.
 */
class GroupMediaTest extends GroupTestBase {

  @TempDir
  Path tmp;

  @Test
  void aGroupPictureSetByTheAdminReachesEveryDeviceAndALaterMemberAndANonAdminIsRefused() throws Exception {
    ParleyClient desktop = linkDesktop();
    GroupId id = group(alice, "Photos", bob, carol);
    await().atMost(WAIT).until(() -> knows(desktop, id));

    Path withGps = pictureWithGps(tmp, "beach.jpg");
    GroupInfo set = alice.client().setGroupPicture(id, withGps);
    Attachment own = set.picture().orElseThrow();
    assertThat(own.state().isLocal()).as("the admin's device shows its picture without a download").isTrue();
    byte[] sent = plaintext(alice.client(), own.id());
    assertThat(gpsOf(sent)).as("GPS in the uploaded picture").isEmpty();

    for (ParleyClient member : List.of(bob.client(), carol.client(), desktop)) {
      assertThat(sha256(pictureOf(member, id))).isEqualTo(sha256(sent));
      assertThat(systemLines(member, id)).contains(alice.number() + " changed the group's picture");
    }
    await().atMost(WAIT).until(() -> bob.client().group(id).revision() == alice.client().group(id).revision());

    // Carol is no admin: refused here before anything is uploaded, and nothing changes anywhere.
    long revision = alice.client().group(id).revision();
    assertThatThrownBy(() -> carol.client().setGroupPicture(id, withGps))
        .isInstanceOf(GroupPermissionException.class).hasMessageContaining("only admins may change the group's picture");
    assertThatThrownBy(() -> carol.client().removeGroupPicture(id))
        .isInstanceOf(GroupPermissionException.class);
    assertThat(carol.client().group(id).revision()).isEqualTo(revision);

    // Dave, added later, gets the current picture with the state.
    TestUser dave = dave();
    alice.client().addGroupMembers(id, List.of(dave.number()));
    await().atMost(WAIT).until(() -> knows(dave.client(), id));
    assertThat(sha256(pictureOf(dave.client(), id))).isEqualTo(sha256(sent));

    // The server holds the picture encrypted only: no 64-byte window of what members see is in its files.
    byte[] window = Arrays.copyOfRange(sent, sent.length / 2, sent.length / 2 + 64);
    assertThat(filesContaining(parley.server().dataDir, window)).as("server files with the picture").isEmpty();

    // Removed by the admin: gone everywhere.
    alice.client().removeGroupPicture(id);
    await().atMost(WAIT).until(() -> bob.client().group(id).picture().isEmpty()
        && dave.client().group(id).picture().isEmpty() && desktop.group(id).picture().isEmpty());
    assertThat(systemLines(bob.client(), id)).contains(alice.number() + " removed the group's picture");
  }

  @Test
  void aFileSentToTheGroupIsUploadedOnceAndEveryMemberDeviceGetsTheSameBytes() throws Exception {
    ParleyClient desktop = linkDesktop();
    GroupId id = group(alice, "Files", bob, carol);
    await().atMost(WAIT).until(() -> knows(desktop, id));
    byte[] bytes = randomWithMarker(300_000, 11);
    Path file = Files.write(tmp.resolve("report.bin"), bytes);
    Path attachmentsOnServer = parley.server().dataDir.resolve("attachments");
    long before = filesOnServer(attachmentsOnServer);

    GroupMessage sent = bob.client().sendToGroup(id, "the report", List.of(OutgoingAttachment.of(file)));
    assertThat(sent.attachments()).hasSize(1);
    assertThat(sent.status()).isEqualTo(MessageStatus.PENDING);
    await().atMost(WAIT).until(() -> statusOf(bob.client(), id, sent.id()) != MessageStatus.PENDING);
    assertThat(statusOf(bob.client(), id, sent.id())).isIn(MessageStatus.SENT, MessageStatus.DELIVERED);
    assertThat(filesOnServer(attachmentsOnServer) - before).as("ciphertexts stored for 4 receiving devices")
        .isEqualTo(1);

    String expected = sha256(bytes);
    for (ParleyClient member : List.of(alice.client(), carol.client(), desktop)) {
      GroupMessage got = awaitMessageWithAttachment(member, id, "the report");
      assertThat(got.senderNumber()).isEqualTo(bob.number());
      Attachment a = member.awaitDownload(got.attachments().get(0).id(), WAIT);
      assertThat(a.fileName()).isEqualTo("report.bin");
      assertThat(a.groupId()).contains(id);
      assertThat(sha256(plaintext(member, a.id()))).isEqualTo(expected);
      Path saved = member.saveAttachment(a.id(), Files.createDirectories(tmp.resolve("saved-" + a.id()
          + "-" + System.nanoTime())));
      assertThat(sha256(Files.readAllBytes(saved))).isEqualTo(expected);
    }

    // Sent from Alice's phone: her desktop has it as hers (sent-message sync), with the file.
    byte[] photoBytes = randomWithMarker(120_000, 12);
    Path photo = Files.write(tmp.resolve("notes.bin"), photoBytes);
    alice.client().sendToGroup(id, "", List.of(OutgoingAttachment.of(photo)));
    GroupMessage synced = awaitMessageWithAttachment(desktop, id, "");
    assertThat(synced.isOutgoing()).isTrue();
    Attachment onDesktop = desktop.awaitDownload(synced.attachments().get(0).id(), WAIT);
    assertThat(sha256(plaintext(desktop, onDesktop.id()))).isEqualTo(sha256(photoBytes));
    GroupMessage atBob = awaitMessageWithAttachment(bob.client(), id, "");
    assertThat(sha256(plaintext(bob.client(), bob.client().awaitDownload(atBob.attachments().get(0).id(), WAIT)
        .id()))).isEqualTo(sha256(photoBytes));

    assertThat(filesContaining(parley.server().dataDir, AttachmentMessagingTest.MARKER))
        .as("server files with a group attachment's plaintext").isEmpty();
  }

  @Test
  void aCancelledGroupUploadFailsTheMessageAndARetrySendsIt() throws Exception {
    GroupId id = group(alice, "Slow", bob);
    alice.client().close();
    // Alice's uploads crawl (fault injection), so the cancel lands while the file is on its way.
    try (ParleyClient slow = ClientComponents.open(ClientOptions.of(alice.dataDir(), parley.url()),
        new FaultInjection(false, 40_000)).client()) {
      slow.connect();
      byte[] bytes = randomWithMarker(200_000, 13);
      GroupMessage sent = slow.sendToGroup(id, "slowly", List.of(OutgoingAttachment.of(
          Files.write(tmp.resolve("slow.bin"), bytes))));
      long attachmentId = sent.attachments().get(0).id();
      await().atMost(WAIT).until(() -> slow.attachment(attachmentId).state() == AttachmentState.UPLOADING);
      slow.cancelTransfer(attachmentId);
      await().atMost(WAIT).until(() -> statusOf(slow, id, sent.id()) == MessageStatus.FAILED);
      assertThat(slow.attachment(attachmentId).state()).isEqualTo(AttachmentState.CANCELLED);

      slow.retryTransfer(attachmentId);
      assertThat(statusOf(slow, id, sent.id())).isEqualTo(MessageStatus.PENDING);
      GroupMessage atBob = awaitMessageWithAttachment(bob.client(), id, "slowly");
      Attachment got = bob.client().awaitDownload(atBob.attachments().get(0).id(), WAIT);
      assertThat(sha256(plaintext(bob.client(), got.id()))).isEqualTo(sha256(bytes));
      await().atMost(WAIT).until(() -> statusOf(slow, id, sent.id()) != MessageStatus.PENDING);
      assertThat(texts(bob.client(), id)).containsOnlyOnce("slowly");
    }
  }

  private ParleyClient linkDesktop() throws Exception {
    Linker desktop = parley.link("Desktop");
    alice.client().addDevice(desktop.currentLink(), "Alice");
    desktop.awaitLinked();
    desktop.client.connect();
    return desktop.client;
  }

  /** Waits until the group's picture is downloaded on {@code client}; returns its bytes. */
  private static byte[] pictureOf(ParleyClient client, GroupId id) throws Exception {
    await().atMost(WAIT).until(() -> client.group(id).picture().map(p -> p.state().isLocal()).orElse(false));
    return plaintext(client, client.group(id).picture().orElseThrow().id());
  }

  private static MessageStatus statusOf(ParleyClient client, GroupId id, long messageId) throws Exception {
    return client.groupHistory(id, 100).stream().filter(e -> e instanceof GroupMessage m && m.id() == messageId)
        .map(e -> ((GroupMessage) e).status()).findFirst().orElseThrow();
  }

  private static GroupMessage awaitMessageWithAttachment(ParleyClient client, GroupId id, String text) {
    GroupMessage[] found = new GroupMessage[1];
    await().atMost(WAIT).until(() -> {
      Optional<GroupMessage> m = client.groupHistory(id, 100).stream()
          .filter(e -> e instanceof GroupMessage g && g.text().equals(text) && !g.attachments().isEmpty())
          .map(e -> (GroupMessage) e).findFirst();
      m.ifPresent(x -> found[0] = x);
      return m.isPresent();
    });
    return found[0];
  }

  private static long filesOnServer(Path dir) throws Exception {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).count();
    }
  }

  static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }
}
