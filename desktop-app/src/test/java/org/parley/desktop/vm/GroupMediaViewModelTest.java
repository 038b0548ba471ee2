package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.attachments.OutgoingAttachment;
import org.parley.client.api.groups.GroupId;
import org.parley.client.api.groups.GroupMessage;
import org.parley.desktop.settings.SettingsStore;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;

/**
 * Pictures and files in a group through the desktop's ViewModels, without JavaFX, over the real server and real
 * clients: a member's picture shows as a picture bubble and decodes; files sent from the preview sheet reach the
 * members with the same bytes; the admin's group picture becomes the avatar in the chat list and the conversation;
 * a member who is no admin is told why they cannot change it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GroupMediaViewModelTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  private final String myNumber = Users.newNumber();
  private final String bobNumber = Users.newNumber();
  private final String carolNumber = Users.newNumber();
  private ParleyClient me;
  private ParleyClient bob;
  private ParleyClient carol;
  private final VmHarness h = new VmHarness();
  private MainViewModel vm;
  private Path files;

  @BeforeAll
  void start() throws Exception {
    Path dir = Files.createTempDirectory("parley-group-media-vm");
    files = Files.createTempDirectory("parley-group-media-files");
    me = parley.register(myNumber, dir).client();
    bob = parley.register(bobNumber).client();
    carol = parley.register(carolNumber).client();
    for (ParleyClient c : List.of(bob, carol)) {
      c.connect();
    }
    SettingsStore store = SettingsStore.open(dir);
    vm = h.onUi(() -> new MainViewModel(me, store, h.tasks, h.clock, h.zone, h.timer, (title, body, open) -> { }));
    h.onUi(vm::start);
  }

  @AfterAll
  void stop() {
    h.close();
    for (ParleyClient c : List.of(me, bob, carol)) {
      c.close();
    }
  }

  @Test
  void picturesAndFilesInAGroupAndItsPicture() throws Exception {
    GroupId id = me.createGroup("Photos", List.of(bobNumber, carolNumber)).id();
    await().until(() -> knows(bob, id) && knows(carol, id));
    h.onUi(() -> vm.open(id.value(), Optional.empty()));
    GroupConversationViewModel group = h.onUi(() -> vm.currentGroup.get().orElseThrow());

    // Bob's picture: a picture bubble with his name, downloaded by itself, decoded at its size.
    Path sunset = picture("sunset.png", 120, 80, Color.ORANGE);
    bob.sendToGroup(id, "sunset", List.of(OutgoingAttachment.of(sunset)));
    await().until(() -> bubbleWith(group, "sunset").map(b -> b.attachments().size() == 1
        && b.attachments().get(0).isLocal()).orElse(false));
    ConversationRow.Bubble fromBob = bubbleWith(group, "sunset").orElseThrow();
    assertThat(fromBob.sender()).map(ConversationRow.Sender::number).contains(bobNumber);
    AttachmentItem item = fromBob.attachments().get(0);
    assertThat(item.kind()).isEqualTo(AttachmentItem.Kind.PICTURE);
    AtomicReference<Pixels> decoded = new AtomicReference<>();
    h.onUi(() -> group.media.picture(item.id(), 120, 80, decoded::set, e -> { }));
    await().until(() -> decoded.get() != null);
    assertThat(decoded.get().width()).isEqualTo(120);
    assertThat(h.onUi(group.media::viewable)).extracting(AttachmentItem::fileName).contains("sunset.png");

    // A file from the preview sheet: uploaded once, Bob and Carol get the same bytes.
    Path notes = Files.write(files.resolve("notes.txt"), "meet at the lake at 7".repeat(500).getBytes());
    h.onUi(() -> {
      group.draft.add(List.of(notes));
      group.draft.send("the plan");
    });
    await().until(() -> bubbleWith(group, "the plan").map(b -> b.outgoing() && b.status() != MessageStatus.PENDING)
        .orElse(false));
    for (ParleyClient member : List.of(bob, carol)) {
      GroupMessage got = awaitWithAttachment(member, id, "the plan");
      Attachment a = member.awaitDownload(got.attachments().get(0).id(), Duration.ofSeconds(30));
      assertThat(sha256(member, a.id())).isEqualTo(HexFormat.of().formatHex(
          MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(notes))));
    }

    // The group's picture, from the info panel: the avatar here and in the chat list, and at Bob's.
    Path avatar = picture("avatar.png", 64, 64, Color.BLUE);
    h.onUi(() -> group.info.setPicture(avatar));
    await().until(() -> h.onUi(() -> group.picture.get().isPresent() && group.info.hasPicture.get()));
    await().until(() -> h.onUi(() -> vm.chatList.chats.get().stream()
        .anyMatch(c -> c.number().equals(id.value()) && c.picture().equals(group.picture.get()))));
    await().until(() -> bob.group(id).picture().map(p -> p.state().isLocal()).orElse(false));
    assertThat(rowTexts(group)).contains("You changed the group's picture");

    // In Bob's group, where we are no admin, the panel says why the picture stays.
    GroupId bobs = bob.createGroup("Bob's", List.of(myNumber)).id();
    await().until(() -> knows(me, bobs));
    h.onUi(() -> vm.open(bobs.value(), Optional.empty()));
    GroupConversationViewModel other = h.onUi(() -> vm.currentGroup.get().orElseThrow());
    await().until(() -> h.onUi(() -> other.group.get().isPresent()));
    assertThat(h.onUi(other.info.canEdit::get)).isFalse();
    h.onUi(() -> other.info.setPicture(avatar));
    await().until(() -> h.onUi(other.info.error::get).contains("only admins may change the group's picture"));
    assertThat(bob.group(bobs).picture()).isEmpty();
  }

  private Optional<ConversationRow.Bubble> bubbleWith(GroupConversationViewModel group, String text) {
    return h.onUi(() -> group.rows.snapshot()).stream()
        .filter(r -> r instanceof ConversationRow.Bubble b && b.text().equals(text))
        .map(r -> (ConversationRow.Bubble) r).findFirst();
  }

  private List<String> rowTexts(GroupConversationViewModel group) {
    return h.onUi(() -> group.rows.snapshot()).stream()
        .filter(r -> r instanceof ConversationRow.SystemLine).map(r -> ((ConversationRow.SystemLine) r).text())
        .toList();
  }

  private static GroupMessage awaitWithAttachment(ParleyClient client, GroupId id, String text) {
    AtomicReference<GroupMessage> found = new AtomicReference<>();
    await().until(() -> {
      client.groupHistory(id, 50).stream()
          .filter(e -> e instanceof GroupMessage m && m.text().equals(text) && !m.attachments().isEmpty())
          .findFirst().ifPresent(e -> found.set((GroupMessage) e));
      return found.get() != null;
    });
    return found.get();
  }

  private static String sha256(ParleyClient client, long attachmentId) throws Exception {
    try (InputStream in = client.openAttachment(attachmentId)) {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
    }
  }

  private Path picture(String name, int w, int h, Color colour) throws Exception {
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    var g = image.createGraphics();
    g.setColor(colour);
    g.fillRect(0, 0, w, h);
    g.setColor(Color.WHITE);
    g.fillOval(w / 4, h / 4, w / 2, h / 2);
    g.dispose();
    Path file = files.resolve(name);
    ImageIO.write(image, "png", file.toFile());
    return file;
  }

  private static boolean knows(ParleyClient client, GroupId id) {
    try {
      client.group(id);
      return true;
    } catch (Exception e) {
      return false;
    }
  }
}
