package org.parley.client.internal.attachments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.api.InvalidInputException;
import org.parley.client.internal.messaging.Contents;
import org.parley.client.internal.proto.AttachmentPointer;
import org.parley.client.internal.proto.Content;
import org.parley.client.internal.proto.DataMessage;
import org.parley.client.internal.proto.VoiceNote;

class AttachmentPointersTest {

  @TempDir
  Path dir;

  @Test
  void aPointerMadeFromARealPictureTravelsInsideADataMessageAndPassesTheChecks() throws Exception {
    Path picture = dir.resolve("photo.jpg");
    Files.write(picture, TestPictures.jpeg(TestPictures.photo(640, 480, 11), false));
    Thumbnail thumbnail = Thumbnails.DEFAULT.of(picture);
    AttachmentKey key = AttachmentKey.random();
    AttachmentCipher.Sealed sealed;
    try (OutputStream out = Files.newOutputStream(dir.resolve("upload.bin"))) {
      sealed = AttachmentCipher.encrypt(key, Files.newInputStream(picture), Files.size(picture), out);
    }
    AttachmentPointer pointer = validPointer().toBuilder().setKey(ByteString.copyFrom(key.bytes()))
        .setDigest(ByteString.copyFrom(sealed.digest())).setSize(Files.size(picture))
        .setWidth(thumbnail.width()).setHeight(thumbnail.height())
        .setThumbnail(ByteString.copyFrom(thumbnail.jpeg())).build();
    Content content = Content.newBuilder().setSenderNumber("+15550001111").setData(DataMessage.newBuilder()
        .setText("the view").setTimestamp(42).addAttachments(pointer).addAttachments(validPointer())).build();

    byte[] plaintext = Contents.encode(content);
    assertThat(plaintext.length).as("two pointers with a thumbnail fit the server's 64 KiB easily")
        .isLessThan(8 * 1024);
    Content received = Contents.decode(plaintext);
    assertThat(received).isEqualTo(content);
    for (AttachmentPointer each : received.getData().getAttachmentsList()) {
      AttachmentPointers.check(each);
    }
    assertThat(new ByteArrayInputStream(received.getData().getAttachments(0).getThumbnail().toByteArray()))
        .hasSameContentAs(new ByteArrayInputStream(thumbnail.jpeg()));
  }

  @Test
  void eachImpossibleFieldIsRefusedByName() throws Exception {
    refused(p -> p.setId(""), "the id");
    refused(p -> p.setId("../../etc/passwd"), "the id");
    refused(p -> p.setId("x".repeat(65)), "the id");
    refused(p -> p.setKey(ByteString.copyFrom(new byte[32])), "the key must be 64 bytes, not 32");
    refused(p -> p.setDigest(ByteString.EMPTY), "the digest must be 32 bytes");
    refused(p -> p.setSize(-1), "impossible");
    refused(p -> p.setSize(PaddedSizes.LARGEST_PLAINTEXT + 1), "impossible");
    refused(p -> p.setContentType("image/jpeg\r\nX-Evil: 1"), "not a MIME type");
    refused(p -> p.setContentType("jpeg"), "not a MIME type");
    refused(p -> p.setFileName("a".repeat(1025)), "file name");
    refused(p -> p.setWidth(70_000), "width or height");
    refused(p -> p.setHeight(-1), "width or height");
    refused(p -> p.setThumbnail(ByteString.copyFrom(new byte[16 * 1024 + 1])), "thumbnail");
    refused(p -> p.setCaption("c".repeat(4097)), "caption");
    refused(p -> p.setThumbnail(ByteString.copyFromUtf8("not a picture")), "the thumbnail is not a JPEG");
    byte[] png = TestPictures.png(TestPictures.quadrants(8, 8));
    refused(p -> p.setThumbnail(ByteString.copyFrom(png)), "the thumbnail is not a JPEG");
    // A few hundred bytes of JPEG whose frame header announces 65535 × 65535 pixels.
    byte[] bomb = TestPictures.jpeg(TestPictures.quadrants(16, 16), false);
    int sof = TestPictures.indexOfMarker(bomb, 0xC0);
    ByteBuffer.wrap(bomb, sof + 5, 4).putShort((short) 0xFFFF).putShort((short) 0xFFFF);
    refused(p -> p.setThumbnail(ByteString.copyFrom(bomb)), "claims 65535×65535 pixels");
    byte[] tall = TestPictures.jpeg(TestPictures.quadrants(4, 513), false);
    refused(p -> p.setThumbnail(ByteString.copyFrom(tall)), "claims 4×513");
  }

  @Test
  void optionalFieldsMayBeAbsentAndSmallJpegThumbnailsPass() throws Exception {
    AttachmentPointers.check(validPointer().toBuilder()
        .setThumbnail(ByteString.copyFrom(TestPictures.jpeg(TestPictures.quadrants(512, 40), false))).build());
    AttachmentPointers.check(validPointer().toBuilder().clearContentType().clearFileName().clearThumbnail().build());
    AttachmentPointers.check(validPointer().toBuilder().setContentType("text/plain; charset=utf-8").build());
  }

  @Test
  void aVoiceNoteIsCheckedLikeTheOtherFields() throws Exception {
    VoiceNote note = VoiceNote.newBuilder().setDurationMs(2500).setWaveform(ByteString.copyFrom(new byte[64])).build();
    AttachmentPointers.check(validPointer().toBuilder().setContentType("audio/ogg").setVoiceNote(note).build());
    refused(p -> p.setVoiceNote(note), "a voice note must be audio, not \"image/jpeg\"");
    refused(p -> p.setContentType("audio/ogg").setVoiceNote(note.toBuilder()
        .setWaveform(ByteString.copyFrom(new byte[257]))), "at most 256 buckets, not 257");
    refused(p -> p.setContentType("audio/ogg").setVoiceNote(note.toBuilder().setDurationMs(-1)),
        "longer than any Parley makes");
  }

  private static void refused(UnaryOperator<AttachmentPointer.Builder> change, String message) {
    AttachmentPointer pointer = change.apply(validPointer().toBuilder()).build();
    assertThatThrownBy(() -> AttachmentPointers.check(pointer)).isInstanceOf(InvalidInputException.class)
        .hasMessageStartingWith("Attachment pointer:").hasMessageContaining(message);
  }

  private static AttachmentPointer validPointer() {
    return AttachmentPointer.newBuilder().setId("AbCdEfGhIjKlMnOpQrStUvWxYz012-_9")
        .setKey(ByteString.copyFrom(new byte[64])).setDigest(ByteString.copyFrom(new byte[32])).setSize(1234)
        .setContentType("image/jpeg").setFileName("IMG_0001.JPG").setWidth(4032).setHeight(3024)
        .setCaption("sunset").build();
  }
}
