package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The preview sheet's list: what can be added, removed, sent and dropped (no JavaFX, real files). */
class AttachmentDraftTest {

  @TempDir
  Path dir;

  private final VmHarness h = new VmHarness();
  private final FileServices files = new FileServices(h.tasks, file -> { });
  private final List<List<DraftItem>> sent = new CopyOnWriteArrayList<>();
  private final List<String> captions = new CopyOnWriteArrayList<>();
  private final AttachmentDraft draft = new AttachmentDraft((items, caption) -> {
    sent.add(items);
    captions.add(caption);
  }, files);

  @AfterEach
  void stop() {
    files.clear();
    h.close();
  }

  @Test
  void filesArePreviewedAndSentWithTheCaptionAsOneMessage() throws Exception {
    Path photo = Files.write(dir.resolve("Beach.JPG"), new byte[1500]);
    Path pdf = Files.write(dir.resolve("report.pdf"), new byte[10]);
    draft.add(List.of(photo, pdf, photo));
    assertThat(draft.open.get()).isTrue();
    assertThat(draft.items.get()).extracting(DraftItem::name).containsExactly("Beach.JPG", "report.pdf");
    assertThat(draft.items.get()).extracting(DraftItem::picture).containsExactly(true, false);
    assertThat(draft.items.get().get(0).sizeText()).isEqualTo("1.5 kB");
    draft.remove(1);
    assertThat(draft.items.get()).extracting(DraftItem::name).containsExactly("Beach.JPG");
    draft.send("  At the beach ");
    assertThat(sent).hasSize(1);
    assertThat(sent.get(0)).extracting(DraftItem::file).containsExactly(photo);
    assertThat(captions).containsExactly("At the beach");
    assertThat(draft.open.get()).isFalse();
    assertThat(draft.items.get()).isEmpty();
  }

  @Test
  void foldersAndMissingFilesAreRefusedWithAReasonAndTheRestIsKept() throws Exception {
    Path folder = Files.createDirectory(dir.resolve("Holiday"));
    Path ok = Files.write(dir.resolve("ok.txt"), new byte[] {1});
    draft.add(List.of(folder, dir.resolve("gone.png"), ok));
    assertThat(draft.items.get()).extracting(DraftItem::name).containsExactly("ok.txt");
    assertThat(draft.error.get()).contains("Holiday is a folder").contains("gone.png cannot be read");
    // Nothing usable: the sheet stays closed, the reason shows.
    draft.cancel();
    draft.add(List.of(folder));
    assertThat(draft.open.get()).isFalse();
    assertThat(draft.error.get()).contains("folder");
  }

  @Test
  void atMostThirtyFilesGoInOneMessage() throws Exception {
    List<Path> many = new ArrayList<>();
    for (int i = 0; i < AttachmentDraft.MAX_FILES + 5; i++) {
      many.add(Files.write(dir.resolve("f" + i + ".txt"), new byte[] {1}));
    }
    draft.add(many);
    assertThat(draft.items.get()).hasSize(AttachmentDraft.MAX_FILES);
    assertThat(draft.error.get()).contains("At most 30 files");
  }

  @Test
  void aPastedPictureBecomesATemporaryPngThatCancelDeletes() throws Exception {
    int[] argb = new int[4 * 3];
    Arrays.fill(argb, 0xff3366cc);
    h.onUi(() -> draft.addPicture(new Pixels(4, 3, argb)));
    await().until(() -> h.onUi(() -> draft.items.get().size()) == 1);
    DraftItem pasted = h.onUi(() -> draft.items.get().get(0));
    assertThat(pasted.temporary()).isTrue();
    assertThat(pasted.picture()).isTrue();
    assertThat(pasted.file()).startsWith(files.local().root());
    assertThat(ImageIO.read(pasted.file().toFile()).getWidth()).isEqualTo(4);
    h.onUi(draft::cancel);
    await().until(() -> !Files.exists(pasted.file()));
  }
}
