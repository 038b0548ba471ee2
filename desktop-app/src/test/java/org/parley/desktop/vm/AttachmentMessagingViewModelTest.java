package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.api.Message;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyListener;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.attachments.AttachmentState;
import org.parley.client.api.attachments.OutgoingAttachment;
import org.parley.desktop.settings.SettingsStore;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;

/**
 * Pictures and files through the desktop's ViewModels, without JavaFX, over client-core and the real server: the
 * preview sheet sends, bubbles follow uploads and downloads, Open and Save as write the exact bytes.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AttachmentMessagingViewModelTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  @TempDir
  Path files;

  private ParleyClient me;
  private ParleyClient sam;
  private final String myNumber = Users.newNumber();
  private final String samNumber = Users.newNumber();
  private final VmHarness h = new VmHarness();
  private final List<Message> samReceived = new CopyOnWriteArrayList<>();
  /** Open hands files to the desktop: outside the app, so recorded here. */
  private final List<Path> opened = new CopyOnWriteArrayList<>();
  private MainViewModel main;
  private ConversationViewModel chat;

  @BeforeAll
  void start() throws Exception {
    Path dir = Files.createTempDirectory("parley-attach-vm");
    me = parley.register(myNumber, dir).client();
    sam = parley.register(samNumber).client();
    sam.addListener(new ParleyListener() {
      @Override
      public void messageReceived(Message message) {
        samReceived.add(message);
      }
    });
    sam.connect();
    SettingsStore store = SettingsStore.open(dir);
    main = h.onUi(() -> new MainViewModel(me, store, h.tasks, h.clock, h.zone, h.timer, (t, b, o) -> { }));
    h.onUi(() -> main.setOpener(opened::add));
    h.onUi(main::start);
    await().until(() -> h.onUi(main.connection::get).isEmpty());
    h.onUi(() -> main.open(samNumber, Optional.empty()));
    chat = h.onUi(() -> main.current.get().orElseThrow());
  }

  private boolean stopped;

  @AfterAll
  void stop() {
    if (!stopped) {
      h.onUi(main::stop);
    }
    h.close();
    me.close();
    sam.close();
  }

  private List<AttachmentItem> shown() {
    return h.onUi(() -> chat.rows.snapshot().stream().filter(r -> r instanceof ConversationRow.Bubble)
        .flatMap(r -> ((ConversationRow.Bubble) r).attachments().stream()).toList());
  }

  private Optional<AttachmentItem> shown(String fileName) {
    return shown().stream().filter(a -> a.fileName().equals(fileName)).reduce((a, b) -> b);
  }

  @Test
  @Order(1)
  void aPictureAndAFileFromThePreviewSheetArriveAsOneMessageWithTheCaption() throws Exception {
    Path photo = TestPictures.write(TestPictures.halves(1200, 800), "png", files.resolve("halves.png"));
    byte[] pdfBytes = new byte[150_000];
    new Random(7).nextBytes(pdfBytes);
    Path pdf = Files.write(files.resolve("report.pdf"), pdfBytes);

    h.onUi(() -> chat.draft.add(List.of(photo, pdf)));
    h.onUi(() -> chat.draft.send("Two things"));

    await().until(() -> samReceived.stream().anyMatch(m -> m.attachments().size() == 2));
    Message got = samReceived.stream().filter(m -> m.attachments().size() == 2).findFirst().orElseThrow();
    assertThat(got.text()).isEqualTo("Two things");
    Attachment gotPicture = got.attachments().get(0);
    Attachment gotPdf = got.attachments().get(1);
    assertThat(gotPicture.isImage()).isTrue();
    assertThat(gotPicture.thumbnail()).isPresent();
    assertThat(gotPdf.fileName()).isEqualTo("report.pdf");
    sam.awaitDownload(gotPdf.id(), Duration.ofSeconds(30));
    try (InputStream in = sam.openAttachment(gotPdf.id())) {
      assertThat(in.readAllBytes()).isEqualTo(pdfBytes);
    }
    sam.awaitDownload(gotPicture.id(), Duration.ofSeconds(30));
    try (InputStream in = sam.openAttachment(gotPicture.id())) {
      var image = ImageIO.read(in);
      assertThat(image.getWidth()).isEqualTo(1200);
      assertThat(image.getHeight()).isEqualTo(800);
    }

    // My bubble: both uploaded, the picture shown as a tile at its aspect ratio.
    await().until(() -> shown("report.pdf").map(a -> a.state() == AttachmentState.UPLOADED).orElse(false)
        && shown("halves.png").map(a -> a.state() == AttachmentState.UPLOADED).orElse(false));
    AttachmentItem tile = shown("halves.png").orElseThrow();
    assertThat(tile.kind()).isEqualTo(AttachmentItem.Kind.PICTURE);
    assertThat(tile.width()).isEqualTo(Attachments.MAX_TILE_WIDTH);
    assertThat(tile.height()).isEqualTo(187); // 800 × 280 / 1200, rounded
    await().until(() -> h.onUi(() -> main.chatList.chats.get().stream()
        .anyMatch(c -> c.number().equals(samNumber) && c.preview().equals("You: \uD83D\uDCCE Two things"))));
  }

  @Test
  @Order(2)
  void aReceivedPictureShowsItsThumbnailThenDownloadsAndDecodesAtTileSize() throws Exception {
    Path photo = TestPictures.write(TestPictures.halves(3000, 2000), "jpg", files.resolve("wide.jpg"));
    sam.send(myNumber, "", List.of(OutgoingAttachment.of(photo)));
    await().until(() -> shown("wide.jpg").isPresent());
    AttachmentItem item = shown("wide.jpg").orElseThrow();
    assertThat(item.thumbnail()).isPresent();
    assertThat(item.width()).isEqualTo(Attachments.MAX_TILE_WIDTH);
    // Pictures under the automatic-download limit come by themselves.
    await().until(() -> shown("wide.jpg").orElseThrow().state() == AttachmentState.DOWNLOADED);
    AtomicReference<Pixels> decoded = new AtomicReference<>();
    h.onUi(() -> chat.picture(item.id(), item.width(), item.height(), decoded::set, e -> { }));
    await().until(() -> decoded.get() != null);
    assertThat(decoded.get().width()).isEqualTo(item.width());
    assertThat(decoded.get().height()).isEqualTo(item.height());
    await().until(() -> h.onUi(() -> main.chatList.chats.get().stream()
        .anyMatch(c -> c.number().equals(samNumber) && c.preview().equals("\uD83D\uDCF7 Photo"))));
    assertThat(h.onUi(chat.media::viewable)).extracting(AttachmentItem::fileName).contains("halves.png", "wide.jpg");
  }

  @Test
  @Order(3)
  void aReceivedFileDownloadsOnRequestAndOpenAndSaveAsWriteItsBytes() throws Exception {
    byte[] bytes = new byte[64_000];
    new Random(11).nextBytes(bytes);
    Path file = Files.write(files.resolve("notes.bin"), bytes);
    sam.send(myNumber, "", List.of(OutgoingAttachment.of(file)));
    await().until(() -> shown("notes.bin").isPresent());
    AttachmentItem item = shown("notes.bin").orElseThrow();
    assertThat(item.kind()).isEqualTo(AttachmentItem.Kind.FILE);
    if (item.canDownload()) {
      h.onUi(() -> chat.download(item.id()));
    }
    await().until(() -> shown("notes.bin").orElseThrow().state() == AttachmentState.DOWNLOADED);

    h.onUi(() -> chat.openAttachment(item.id()));
    await().until(() -> !opened.isEmpty());
    Path copy = opened.get(0);
    assertThat(copy.getFileName().toString()).isEqualTo("notes.bin");
    assertThat(Files.readAllBytes(copy)).isEqualTo(bytes);

    Path target = files.resolve("saved").resolve("my notes.bin");
    Files.createDirectories(target.getParent());
    AtomicReference<Path> saved = new AtomicReference<>();
    h.onUi(() -> chat.saveAttachment(item.id(), target, saved::set));
    await().until(() -> saved.get() != null);
    assertThat(Files.readAllBytes(target)).isEqualTo(bytes);

    // The decrypted copy for Open goes when the app stops.
    h.onUi(main::stop);
    stopped = true;
    assertThat(Files.exists(copy)).isFalse();
  }
}
