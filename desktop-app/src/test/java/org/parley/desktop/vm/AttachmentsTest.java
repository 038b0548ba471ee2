package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.attachments.AttachmentState;

/** How attachments read in bubbles and in the chat list (pure functions, no JavaFX, no client). */
class AttachmentsTest {

  private static Attachment attachment(String type, String name, long size, Integer w, Integer h,
      AttachmentState state, long transferred, byte[] thumbnail) {
    return new Attachment(1, 10, type, name, size, w == null ? OptionalInt.empty() : OptionalInt.of(w),
        h == null ? OptionalInt.empty() : OptionalInt.of(h), OptionalLong.empty(), Optional.ofNullable(thumbnail),
        Optional.empty(), state, transferred, Optional.empty(), Optional.empty(), Optional.empty());
  }

  @Test
  void picturesVideosAndEverythingElseAreShownDifferently() {
    assertThat(Attachments.kindOf("image/jpeg")).isEqualTo(AttachmentItem.Kind.PICTURE);
    assertThat(Attachments.kindOf("IMAGE/PNG; charset=binary")).isEqualTo(AttachmentItem.Kind.PICTURE);
    assertThat(Attachments.kindOf("video/mp4")).isEqualTo(AttachmentItem.Kind.VIDEO);
    // JavaFX can neither decode these pictures nor play these videos: file cards.
    assertThat(Attachments.kindOf("image/heic")).isEqualTo(AttachmentItem.Kind.FILE);
    assertThat(Attachments.kindOf("video/webm")).isEqualTo(AttachmentItem.Kind.FILE);
    assertThat(Attachments.kindOf("application/pdf")).isEqualTo(AttachmentItem.Kind.FILE);
    assertThat(Attachments.kindOf(null)).isEqualTo(AttachmentItem.Kind.FILE);
  }

  @Test
  void tilesKeepThePicturesAspectRatioInsideABoundedBox() {
    AttachmentItem landscape = Attachments.item(attachment("image/jpeg", "a.jpg", 9_000_000, 8000, 6000,
        AttachmentState.DOWNLOADED, 9_000_000, null));
    assertThat(landscape.width()).isEqualTo(Attachments.MAX_TILE_WIDTH);
    assertThat(landscape.height()).isEqualTo(210);
    AttachmentItem portrait = Attachments.item(attachment("image/jpeg", "p.jpg", 1, 1000, 4000,
        AttachmentState.DOWNLOADED, 1, null));
    assertThat(portrait.height()).isEqualTo(Attachments.MAX_TILE_HEIGHT);
    assertThat(portrait.width()).isEqualTo(80);
    // Small pictures are not blown up; a sliver still gets a clickable side.
    AttachmentItem small = Attachments.item(attachment("image/png", "s.png", 1, 120, 90,
        AttachmentState.DOWNLOADED, 1, null));
    assertThat(new int[] {small.width(), small.height()}).containsExactly(120, 90);
    assertThat(Attachments.fit(3000, 10, 280, 320, 64)).containsExactly(280, 64);
  }

  @Test
  void withoutDimensionsTheThumbnailGivesTheAspectRatio() throws Exception {
    byte[] thumb = TestPictures.encode(TestPictures.halves(40, 30), "jpg");
    AttachmentItem item = Attachments.item(attachment("image/jpeg", "t.jpg", 5_000_000, null, null,
        AttachmentState.NOT_DOWNLOADED, 0, thumb));
    assertThat(item.width() * 3).isEqualTo(item.height() * 4);
    assertThat(item.width()).isEqualTo(Attachments.MAX_TILE_WIDTH);
    assertThat(item.canDownload()).isTrue();
    assertThat(item.isLocal()).isFalse();
    // Garbage instead of a thumbnail: a square placeholder, no exception.
    AttachmentItem broken = Attachments.item(attachment("image/jpeg", "b.jpg", 1, null, null,
        AttachmentState.NOT_DOWNLOADED, 0, new byte[] {1, 2, 3}));
    assertThat(broken.width()).isEqualTo(broken.height()).isEqualTo(200);
    assertThat(broken.thumbnail()).isEmpty();
    // A "thumbnail" that is really a big picture is not shown (the view would decode it whole).
    byte[] big = TestPictures.encode(TestPictures.halves(1024, 768), "jpg");
    AttachmentItem forged = Attachments.item(attachment("image/jpeg", "f.jpg", 1, 1024, 768,
        AttachmentState.NOT_DOWNLOADED, 0, big));
    assertThat(forged.thumbnail()).isEmpty();
    assertThat(forged.width()).isEqualTo(Attachments.MAX_TILE_WIDTH);
  }

  @Test
  void theStatusLineSaysWhatIsHappeningAndWhatCanBeDone() {
    AttachmentItem uploading = Attachments.item(attachment("application/pdf", "r.pdf", 1000, null, null,
        AttachmentState.UPLOADING, 400, null));
    assertThat(uploading.status()).isEqualTo("Uploading… 40 %");
    assertThat(uploading.progress()).isEqualTo(0.4);
    assertThat(uploading.canCancel()).isTrue();
    assertThat(uploading.withProgress(0.75, true).status()).isEqualTo("Uploading… 75 %");
    assertThat(uploading.withProgress(0.5, false).state()).isEqualTo(AttachmentState.DOWNLOADING);

    Attachment failed = new Attachment(2, 10, "application/pdf", "r.pdf", 1000, OptionalInt.empty(),
        OptionalInt.empty(), OptionalLong.empty(), Optional.empty(), Optional.empty(), AttachmentState.FAILED, 0,
        Optional.of("the download was tampered with"), Optional.empty(), Optional.empty());
    AttachmentItem f = Attachments.item(failed);
    assertThat(f.status()).isEqualTo("Failed: the download was tampered with");
    assertThat(f.canRetry()).isTrue();
    assertThat(f.canCancel()).isFalse();
    AttachmentItem expired = Attachments.item(attachment("application/pdf", "r.pdf", 1000, null, null,
        AttachmentState.EXPIRED, 0, null));
    assertThat(expired.status()).isEqualTo("No longer available");
    assertThat(expired.canRetry()).isFalse();
    assertThat(expired.canDownload()).isFalse();
  }

  @Test
  void theChatListNamesWhatCameWhenThereIsNoText() {
    Attachment photo = attachment("image/jpeg", "IMG_1.jpg", 1, 10, 10, AttachmentState.DOWNLOADED, 1, null);
    Attachment pdf = attachment("application/pdf", "report.pdf", 1, null, null, AttachmentState.DOWNLOADED, 1,
        null);
    Attachment video = attachment("video/mp4", "clip.mp4", 1, null, null, AttachmentState.NOT_DOWNLOADED, 0, null);
    assertThat(Attachments.preview("", List.of(photo))).isEqualTo("\uD83D\uDCF7 Photo");
    assertThat(Attachments.preview("", List.of(photo, photo, photo))).isEqualTo("\uD83D\uDCF7 3 photos");
    assertThat(Attachments.preview("", List.of(pdf))).isEqualTo("\uD83D\uDCCE report.pdf");
    assertThat(Attachments.preview("", List.of(pdf, photo))).isEqualTo("\uD83D\uDCCE 2 files");
    assertThat(Attachments.preview("", List.of(video))).isEqualTo("\uD83C\uDFA5 Video");
    assertThat(Attachments.preview("At the beach", List.of(photo))).isEqualTo("\uD83D\uDCF7 At the beach");
    assertThat(Attachments.preview("plain text", List.of())).isEqualTo("plain text");
  }

  @Test
  void fileCardsGetAnIconByType() {
    assertThat(Attachments.icon("application/pdf", "x")).isEqualTo("PDF");
    assertThat(Attachments.icon("application/octet-stream", "notes.TXT")).isEqualTo("TXT");
    assertThat(Attachments.icon("application/zip", "a.zip")).isEqualTo("ZIP");
    assertThat(Attachments.icon("application/octet-stream", "data.bin")).isEqualTo("FILE");
  }

  @Test
  void sizesReadLikeAFileManagers() {
    assertThat(Format.bytes(812)).isEqualTo("812 B");
    assertThat(Format.bytes(1500)).isEqualTo("1.5 kB");
    assertThat(Format.bytes(14_000)).isEqualTo("14 kB");
    assertThat(Format.bytes(3_200_000)).isEqualTo("3.2 MB");
    assertThat(Format.bytes(999_999)).isEqualTo("1.0 MB");
    assertThat(Format.bytes(1_100_000_000L)).isEqualTo("1.1 GB");
  }
}
