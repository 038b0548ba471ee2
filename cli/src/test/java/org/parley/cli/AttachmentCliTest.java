package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;

/** Attachments through the parley command: real picocli commands, real server on loopback, real clients. */
class AttachmentCliTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  @TempDir
  Path temp;

  private static final Pattern ATTACHMENT_ID = Pattern.compile("attachment (\\d+): ");

  @Test
  void aFiftyMegabyteFileGoesThroughTheCliWithTheSameSha256() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path a = Cli.register(parley.server(), alice);
    Path b = Cli.register(parley.server(), bob);
    Path big = TestFiles.random(Files.createDirectory(temp.resolve("out")), "big.bin", 50L << 20, 50);

    Cli.Result sent = Cli.run(a, "send", bob, "--attachment", big.toString(), "the big one");
    assertThat(sent.code()).as(sent.err()).isZero();
    assertThat(sent.lines()).hasSize(2);
    assertThat(Long.parseLong(sent.lines().get(0))).isPositive();
    assertThat(sent.lines().get(1)).matches("attachment \\d+: big\\.bin \\(application/octet-stream, 52\\.4 MB\\)");

    Path saveDir = Files.createDirectory(temp.resolve("saved"));
    Cli.Result received = Cli.run(b, "receive", "--json", "--timeout", "2", "--save-dir", saveDir.toString());
    assertThat(received.code()).as(received.err()).isZero();
    assertThat(received.lines()).hasSize(1);
    JsonNode message = Json.MAPPER.readTree(received.lines().get(0));
    assertThat(message.path("text").asText()).isEqualTo("the big one");
    JsonNode attachment = message.path("attachments").get(0);
    assertThat(attachment.path("fileName").asText()).isEqualTo("big.bin");
    assertThat(attachment.path("size").asLong()).isEqualTo(50L << 20);
    assertThat(attachment.path("state").asText()).isEqualTo("downloaded");
    Path saved = Path.of(attachment.path("savedPath").asText());
    assertThat(saved.getParent()).isEqualTo(saveDir);
    assertThat(saved.getFileName()).hasToString("big.bin");
    assertThat(TestFiles.sha256(saved)).isEqualTo(TestFiles.sha256(big));
    assertThat(TestFiles.entries(saveDir)).containsExactly(saved);
  }

  @Test
  void aPictureLosesItsLocationAndGetsAThumbnailUnlessSentAsAFile() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path a = Cli.register(parley.server(), alice);
    Path b = Cli.register(parley.server(), bob);
    Path picture = TestFiles.pictureWithGps(temp, "zurich.jpg");
    assertThat(TestFiles.gpsOf(picture)).as("the fixture has GPS").contains("47");

    assertThat(Cli.run(a, "send", bob, "-a", picture.toString(), "as a picture").code()).isZero();
    Cli.Result asFile = Cli.run(a, "send", bob, "--as-file", "-a", picture.toString(), "as a file");
    assertThat(asFile.code()).as(asFile.err()).isZero();

    Path saveDir = Files.createDirectory(temp.resolve("saved"));
    Cli.Result received = Cli.run(b, "receive", "--json", "--timeout", "1", "--save-dir", saveDir.toString());
    assertThat(received.code()).as(received.err()).isZero();
    assertThat(received.lines()).hasSize(2);
    JsonNode asPicture = Json.MAPPER.readTree(received.lines().get(0)).path("attachments").get(0);
    assertThat(asPicture.path("contentType").asText()).isEqualTo("image/jpeg");
    assertThat(asPicture.path("width").asInt()).isEqualTo(300);
    assertThat(asPicture.path("height").asInt()).isEqualTo(200);
    BufferedImage thumbnail = ImageIO.read(new ByteArrayInputStream(
        Base64.getDecoder().decode(asPicture.path("thumbnail").asText())));
    assertThat(thumbnail.getWidth()).isBetween(16, 64);
    Path strippedCopy = Path.of(asPicture.path("savedPath").asText());
    assertThat(TestFiles.gpsOf(strippedCopy)).isEmpty();
    assertThat(ImageIO.read(strippedCopy.toFile()).getWidth()).isEqualTo(300);

    JsonNode asSent = Json.MAPPER.readTree(received.lines().get(1)).path("attachments").get(0);
    assertThat(asSent.has("thumbnail")).isFalse();
    Path exactCopy = Path.of(asSent.path("savedPath").asText());
    assertThat(exactCopy).isNotEqualTo(strippedCopy).hasParent(saveDir);
    assertThat(TestFiles.sha256(exactCopy)).isEqualTo(TestFiles.sha256(picture));
  }

  @Test
  void withoutSaveDirAttachmentsStayInTheStoreUntilAttachmentSaveWritesThemOut() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path a = Cli.register(parley.server(), alice);
    Path b = Cli.register(parley.server(), bob);
    Path notes = Files.writeString(temp.resolve("notes.txt"), "meeting at noon\n");
    Path data = TestFiles.random(temp, "data.bin", 3000, 3);

    Cli.Result sent = Cli.run(a, "send", bob, "-a", notes.toString(), "--attachment", data.toString());
    assertThat(sent.code()).as(sent.err()).isZero();
    assertThat(sent.lines()).hasSize(3);

    Cli.Result received = Cli.run(b, "receive", "--timeout", "1");
    assertThat(received.code()).as(received.err()).isZero();
    assertThat(received.lines()).hasSize(3);
    assertThat(received.lines().get(0)).endsWith(alice + ": ");
    assertThat(received.lines().get(1)).contains("notes.txt (text/plain").contains("parley attachment save ");
    assertThat(received.lines().get(2)).contains("data.bin (application/octet-stream, 3.0 kB)");
    long notesId = id(received.lines().get(1));
    long dataId = id(received.lines().get(2));

    Cli.Result history = Cli.run(b, "history", alice);
    assertThat(history.out()).contains("attachment " + notesId + ": notes.txt").contains("attachment " + dataId);
    Cli.Result listed = Cli.run(b, "attachment", "list", alice);
    assertThat(listed.code()).as(listed.err()).isZero();
    assertThat(listed.lines()).hasSize(2);
    assertThat(listed.lines().get(0)).startsWith(notesId + "\t").contains("<< " + alice, "notes.txt");
    Cli.Result listedJson = Cli.run(b, "attachment", "list", "--json");
    JsonNode all = Json.MAPPER.readTree(listedJson.out());
    assertThat(all).hasSize(2);
    assertThat(all.get(1).path("id").asLong()).isEqualTo(dataId);
    assertThat(all.get(1).path("number").asText()).isEqualTo(alice);
    assertThat(all.get(1).path("size").asLong()).isEqualTo(3000);

    Path out = Files.createDirectory(temp.resolve("saved"));
    Cli.Result first = Cli.run(b, "attachment", "save", Long.toString(notesId), "--output", out.toString());
    assertThat(first.code()).as(first.err()).isZero();
    Path firstPath = Path.of(first.out().strip());
    assertThat(firstPath).isEqualTo(out.resolve("notes.txt"));
    assertThat(Files.readString(firstPath)).isEqualTo("meeting at noon\n");
    // Saving again never overwrites: a new, unique name.
    Cli.Result second = Cli.run(b, "attachment", "save", Long.toString(notesId), "-o", out.toString());
    assertThat(second.code()).as(second.err()).isZero();
    Path secondPath = Path.of(second.out().strip());
    assertThat(secondPath).isNotEqualTo(firstPath).hasParent(out);
    assertThat(Files.readString(secondPath)).isEqualTo("meeting at noon\n");
    Cli.Result binary = Cli.run(b, "attachment", "save", Long.toString(dataId), "-o", out.toString());
    assertThat(TestFiles.sha256(Path.of(binary.out().strip()))).isEqualTo(TestFiles.sha256(data));

    // The sender's side lists its own copies too.
    assertThat(Cli.run(a, "history", bob).out()).contains("notes.txt").contains("data.bin");
    assertThat(Cli.run(b, "attachment", "save", "999999").code()).isEqualTo(ExitCodes.NOT_FOUND);
  }

  @Test
  void aFileThatCannotBeReadIsAClearErrorAndNothingIsSent() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path a = Cli.register(parley.server(), alice);
    Path b = Cli.register(parley.server(), bob);
    Path fine = Files.writeString(temp.resolve("fine.txt"), "fine");
    Path missing = temp.resolve("missing.jpg");

    Cli.Result sent = Cli.run(a, "send", bob, "-a", fine.toString(), "-a", missing.toString(), "both");
    assertThat(sent.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(sent.err()).contains("missing.jpg").contains("no such file");
    Cli.Result directory = Cli.run(a, "send", bob, "-a", temp.toString());
    assertThat(directory.code()).isEqualTo(ExitCodes.USAGE);
    assertThat(directory.err()).contains("not a regular file");
    assertThat(Cli.run(a, "send", bob).code()).isEqualTo(ExitCodes.USAGE);

    assertThat(Cli.run(b, "receive", "--timeout", "1").out()).isEmpty();
    assertThat(Cli.run(a, "history", bob).out()).isEmpty();
  }

  @Test
  void aTamperedDownloadIsAClearErrorNothingIsSavedAndTheOtherMessagesArrive() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path a = Cli.register(parley.server(), alice);
    Path b = Cli.register(parley.server(), bob);
    Path stored = parley.server().dataDir.resolve("attachments").resolve("complete");
    List<Path> before = Files.isDirectory(stored) ? TestFiles.entries(stored) : List.of();
    Path report = TestFiles.random(temp, "report.pdf", 200_000, 7);

    assertThat(Cli.run(a, "send", bob, "-a", report.toString(), "the report").code()).isZero();
    assertThat(Cli.run(a, "send", bob, "and a text after it").code()).isZero();
    List<Path> added = new ArrayList<>(TestFiles.entries(stored));
    added.removeAll(before);
    assertThat(added).hasSize(1);
    try (RandomAccessFile file = new RandomAccessFile(added.get(0).toFile(), "rw")) {
      file.seek(file.length() / 2);
      int b0 = file.read();
      file.seek(file.length() / 2);
      file.write(b0 ^ 0x01);
    }

    Path saveDir = Files.createDirectory(temp.resolve("saved"));
    Cli.Result received = Cli.run(b, "receive", "--timeout", "1", "--save-dir", saveDir.toString());
    assertThat(received.code()).isEqualTo(ExitCodes.ERROR);
    assertThat(received.err()).contains("report.pdf").contains("tampered").contains("nothing was saved");
    assertThat(received.out()).contains(alice + ": the report").contains(alice + ": and a text after it")
        .contains("report.pdf").contains("not saved");
    assertThat(TestFiles.entries(saveDir)).isEmpty();
  }

  private static long id(String line) {
    Matcher m = ATTACHMENT_ID.matcher(line);
    assertThat(m.find()).as(line).isTrue();
    return Long.parseLong(m.group(1));
  }
}
