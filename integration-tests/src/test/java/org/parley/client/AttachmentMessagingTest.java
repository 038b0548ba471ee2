package org.parley.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.CorruptAttachmentException;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.Message;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyListener;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.attachments.AttachmentProgress;
import org.parley.client.api.attachments.AttachmentState;
import org.parley.client.api.attachments.OutgoingAttachment;
import org.parley.client.internal.ClientComponents;
import org.parley.client.internal.connection.FaultInjection;
import org.parley.server.support.TestServer;
import org.parley.testing.Linker;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;

/**
 * Pictures and files through client-core and the real server (issue #12, docs/decisions/0121): both directions,
 * metadata stripping, exact bytes for files, tampering, expiry, the size cap, resuming after a server restart or a
 * closed client, and the sync copy for a linked device.
 */
class AttachmentMessagingTest {

  static final Duration WAIT = Duration.ofSeconds(60);
  static final byte[] MARKER = "MARKER-attachment-plaintext-5d2f".getBytes(StandardCharsets.US_ASCII);

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  /** Attachment events of one client. */
  static final class Transfers implements ParleyListener {
    final List<AttachmentProgress> progress = new CopyOnWriteArrayList<>();
    final List<Long> progressNanos = new CopyOnWriteArrayList<>();
    final List<Attachment> changes = new CopyOnWriteArrayList<>();

    @Override
    public void attachmentProgress(AttachmentProgress p) {
      progressNanos.add(System.nanoTime());
      progress.add(p);
    }

    @Override
    public void attachmentChanged(Attachment attachment) {
      changes.add(attachment);
    }

    long uploaded() {
      return progress.stream().filter(AttachmentProgress::upload).mapToLong(AttachmentProgress::done).max()
          .orElse(0);
    }
  }

  static List<Message> history(ParleyClient client, String number) throws Exception {
    try {
      return client.history(number, 50);
    } catch (NotFoundException none) {
      return List.of();
    }
  }

  /** The one message from {@code number} with attachments, once it is there. */
  static Message awaitAttachmentMessage(ParleyClient client, String number, Message.Direction direction) {
    Message[] found = new Message[1];
    await().atMost(WAIT).until(() -> {
      Optional<Message> m = history(client, number).stream()
          .filter(x -> x.direction() == direction && x.hasAttachments()).findFirst();
      m.ifPresent(x -> found[0] = x);
      return m.isPresent();
    });
    return found[0];
  }

  static byte[] plaintext(ParleyClient client, long attachmentId) throws Exception {
    try (InputStream in = client.openAttachment(attachmentId)) {
      return in.readAllBytes();
    }
  }

  static byte[] randomWithMarker(int size, long seed) {
    byte[] bytes = new byte[size];
    new Random(seed).nextBytes(bytes);
    System.arraycopy(MARKER, 0, bytes, size / 3, MARKER.length);
    return bytes;
  }

  /** A JPEG with GPS coordinates written into its EXIF by exiftool (installed by scripts/test-all.sh). */
  static Path pictureWithGps(Path dir, String name) throws Exception {
    BufferedImage image = new BufferedImage(200, 150, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(7);
    for (int y = 0; y < 150; y += 10) {
      for (int x = 0; x < 200; x += 10) {
        var g = image.createGraphics();
        g.setColor(new Color(random.nextInt(0xffffff)));
        g.fillRect(x, y, 10, 10);
        g.dispose();
      }
    }
    Path file = dir.resolve(name);
    ImageIO.write(image, "jpg", file.toFile());
    Process exif = new ProcessBuilder("exiftool", "-overwrite_original", "-GPSLatitude=48.8584",
        "-GPSLatitudeRef=N", "-GPSLongitude=2.2945", "-GPSLongitudeRef=E", file.toString())
        .redirectErrorStream(true).start();
    String out = new String(exif.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(exif.waitFor()).as("exiftool: " + out).isZero();
    assertThat(gpsOf(Files.readAllBytes(file))).as("the fixture has GPS").contains("48");
    return file;
  }

  /** What exiftool reads as GPS position in {@code jpeg} ("" when there is none). */
  static String gpsOf(byte[] jpeg) throws Exception {
    Path file = Files.createTempFile("parley-gps", ".jpg");
    try {
      Files.write(file, jpeg);
      Process exif = new ProcessBuilder("exiftool", "-s3", "-GPSPosition", file.toString())
          .redirectErrorStream(true).start();
      String out = new String(exif.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      exif.waitFor();
      return out;
    } finally {
      Files.deleteIfExists(file);
    }
  }

  static int[] pixels(byte[] jpeg) throws IOException {
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(jpeg));
    return image.getRGB(0, 0, image.getWidth(), image.getHeight(), null, 0, image.getWidth());
  }

  static List<Path> filesContaining(Path dir, byte[] needle) throws IOException {
    return DurabilityTest.filesContaining(dir, needle);
  }

  @Test
  void aPictureGoesBothWaysWithThumbnailAndWithoutItsGpsAndTheServerHoldsNoPlaintextOrKey() throws Exception {
    var alice = parley.register();
    var bob = parley.register();
    Path dir = Files.createTempDirectory("parley-pictures");
    Path picture = pictureWithGps(dir, "eiffel.jpg");
    Transfers bobTransfers = new Transfers();
    bob.client().addListener(bobTransfers);
    alice.client().connect();
    bob.client().connect();

    Message sent = alice.client().send(bob.number(), "look", List.of(OutgoingAttachment.of(picture)));
    assertThat(sent.status()).isEqualTo(MessageStatus.PENDING);
    assertThat(sent.attachments()).singleElement().satisfies(a -> {
      assertThat(a.state()).isEqualTo(AttachmentState.UPLOAD_PENDING);
      assertThat(a.contentType()).isEqualTo("image/jpeg");
      assertThat(a.thumbnail()).isPresent();
    });

    Message received = awaitAttachmentMessage(bob.client(), alice.number(), Message.Direction.INCOMING);
    assertThat(received.text()).isEqualTo("look");
    Attachment pointer = received.attachments().get(0);
    assertThat(pointer.fileName()).isEqualTo("eiffel.jpg");
    assertThat(pointer.width()).hasValue(200);
    assertThat(pointer.height()).hasValue(150);
    assertThat(pointer.thumbnail()).isPresent();
    assertThat(ImageIO.read(new ByteArrayInputStream(pointer.thumbnail().get())).getWidth()).isEqualTo(64);

    // A small picture downloads by itself.
    await().atMost(WAIT).until(() -> bob.client().attachment(pointer.id()).state() == AttachmentState.DOWNLOADED);
    byte[] got = plaintext(bob.client(), pointer.id());
    byte[] original = Files.readAllBytes(picture);
    assertThat(got).isEqualTo(plaintext(alice.client(), sent.attachments().get(0).id()));
    assertThat(gpsOf(got)).as("GPS in what Bob got").isEmpty();
    assertThat(pixels(got)).as("the pixels are the sender's").isEqualTo(pixels(original));
    assertThat(bobTransfers.changes).extracting(Attachment::state).contains(AttachmentState.DOWNLOADING,
        AttachmentState.DOWNLOADED);
    assertThat(bobTransfers.progress).isNotEmpty().last().satisfies(p -> assertThat(p.done()).isEqualTo(p.total()));
    await().atMost(WAIT).until(() -> MessagingTest.statusOf(alice.client(), bob.number(), sent.id())
        == MessageStatus.DELIVERED);
    assertThat(alice.client().attachment(sent.attachments().get(0).id()).state())
        .isEqualTo(AttachmentState.UPLOADED);

    // And back: Bob answers with a picture.
    Path answer = pictureWithGps(dir, "answer.jpg");
    bob.client().send(alice.number(), "", List.of(OutgoingAttachment.of(answer)));
    Message back = awaitAttachmentMessage(alice.client(), bob.number(), Message.Direction.INCOMING);
    Attachment backPicture = alice.client().awaitDownload(back.attachments().get(0).id(), WAIT);
    assertThat(backPicture.state()).isEqualTo(AttachmentState.DOWNLOADED);
    assertThat(pixels(plaintext(alice.client(), backPicture.id()))).isEqualTo(pixels(Files.readAllBytes(answer)));
    assertThat(gpsOf(plaintext(alice.client(), backPicture.id()))).isEmpty();

    // Saved under its name, never over an existing file; deleting the message deletes its local file.
    Path saveDir = Files.createTempDirectory("parley-saved");
    Path saved = bob.client().saveAttachment(pointer.id(), saveDir);
    Path again = bob.client().saveAttachment(pointer.id(), saveDir);
    assertThat(saved.getParent()).isEqualTo(saveDir.toRealPath());
    assertThat(saved.getFileName().toString()).isEqualTo("eiffel.jpg");
    assertThat(again).isNotEqualTo(saved);
    assertThat(Files.readAllBytes(again)).isEqualTo(got);
    List<Path> storedBefore = storedAttachments(bob.dataDir());
    bob.client().deleteMessage(received.id());
    assertThat(history(bob.client(), alice.number())).noneMatch(m -> m.id() == received.id());
    assertThatThrownBy(() -> bob.client().openAttachment(pointer.id())).isInstanceOf(NotFoundException.class);
    assertThat(storedBefore).as("Bob's received picture and his own sent one").hasSize(2);
    assertThat(storedAttachments(bob.dataDir())).as("after deleting the received one").hasSize(1)
        .isSubsetOf(storedBefore);
  }

  @Test
  void aFileSentAsAFileKeepsItsBytesAndTheServerNeverSeesPlaintextOrKey() throws Exception {
    var bob = parley.register();
    String alice = Users.newNumber();
    Path aliceDir = Files.createTempDirectory("parley-alice");
    Users.register(parley.server(), alice, aliceDir).close();
    ClientComponents components = ClientComponents.open(ClientOptions.of(aliceDir, parley.url()),
        FaultInjection.NONE);
    try (ParleyClient a = components.client()) {
      Path dir = Files.createTempDirectory("parley-files");
      Path file = dir.resolve("report.bin");
      byte[] bytes = randomWithMarker(300_000, 11);
      Files.write(file, bytes);
      Path picture = pictureWithGps(dir, "as-file.jpg");
      a.connect();
      bob.client().connect();
      a.send(bob.number(), "two files", List.of(OutgoingAttachment.of(file),
          new OutgoingAttachment(picture, Optional.empty(), Optional.of("unchanged"), true)));
      Message received = awaitAttachmentMessage(bob.client(), alice, Message.Direction.INCOMING);
      assertThat(received.attachments()).extracting(Attachment::fileName).containsExactly("report.bin",
          "as-file.jpg");
      assertThat(received.attachments().get(0).state()).as("not a picture: waits to be asked")
          .isEqualTo(AttachmentState.NOT_DOWNLOADED);
      assertThat(received.attachments().get(1).caption()).hasValue("unchanged");
      assertThat(received.attachments().get(1).thumbnail()).as("sent as a file: no thumbnail").isEmpty();
      for (Attachment attachment : received.attachments()) {
        bob.client().awaitDownload(attachment.id(), WAIT);
      }
      assertThat(plaintext(bob.client(), received.attachments().get(0).id())).isEqualTo(bytes);
      byte[] asFile = plaintext(bob.client(), received.attachments().get(1).id());
      assertThat(asFile).as("a file keeps its metadata").isEqualTo(Files.readAllBytes(picture));
      assertThat(gpsOf(asFile)).contains("48");

      List<byte[]> keys = components.database().inTransaction(c -> {
        List<byte[]> found = new ArrayList<>();
        try (var s = c.createStatement(); var r = s.executeQuery("SELECT transfer_key FROM attachment")) {
          while (r.next()) {
            found.add(r.getBytes(1));
          }
        }
        return found;
      });
      assertThat(keys).hasSize(2);
      assertThat(filesContaining(parley.server().dataDir, MARKER)).as("server files with the plaintext").isEmpty();
      for (byte[] key : keys) {
        assertThat(filesContaining(parley.server().dataDir, Arrays.copyOf(key, 16))).as("server files with a key")
            .isEmpty();
        assertThat(filesContaining(parley.server().dataDir, Arrays.copyOfRange(key, 32, 48)))
            .as("server files with a MAC key").isEmpty();
      }
      assertThat(filesContaining(aliceDir, MARKER)).as("Alice's data directory holds it encrypted only").isEmpty();
      assertThat(filesContaining(bob.dataDir(), MARKER)).as("Bob's data directory holds it encrypted only")
          .isEmpty();
    }
  }

  @Test
  void aTamperedDownloadIsRefusedAndNothingIsSaved() throws Exception {
    var alice = parley.register();
    var bob = parley.register();
    Path file = Files.createTempDirectory("parley-tamper").resolve("data.bin");
    Files.write(file, randomWithMarker(200_000, 3));
    Path complete = parley.server().dataDir.resolve("attachments").resolve("complete");
    List<Path> before = listed(complete);
    alice.client().connect();
    bob.client().connect();
    Message sent = alice.client().send(bob.number(), "", List.of(OutgoingAttachment.of(file)));
    Message received = awaitAttachmentMessage(bob.client(), alice.number(), Message.Direction.INCOMING);
    assertThat(alice.client().attachment(sent.attachments().get(0).id()).state())
        .isEqualTo(AttachmentState.UPLOADED);
    List<Path> stored = listed(complete);
    stored.removeAll(before);
    assertThat(stored).as("the server's copy of this attachment").hasSize(1);
    try (RandomAccessFile ciphertext = new RandomAccessFile(stored.get(0).toFile(), "rw")) {
      ciphertext.seek(1000);
      int b = ciphertext.read();
      ciphertext.seek(1000);
      ciphertext.write(b ^ 0x01);
    }

    long id = received.attachments().get(0).id();
    assertThatThrownBy(() -> bob.client().awaitDownload(id, WAIT)).isInstanceOf(CorruptAttachmentException.class)
        .hasMessageContaining("data.bin");
    Attachment failed = bob.client().attachment(id);
    assertThat(failed.state()).isEqualTo(AttachmentState.FAILED);
    assertThat(failed.error()).hasValueSatisfying(e -> assertThat(e).contains("nothing was saved"));
    assertThatThrownBy(() -> bob.client().openAttachment(id)).isInstanceOf(NotFoundException.class);
    try (Stream<Path> files = Files.walk(bob.dataDir().resolve("attachments"))) {
      assertThat(files.filter(Files::isRegularFile)).as("nothing of the tampered download is kept").isEmpty();
    }
  }

  /** The encrypted attachment files in a client's data directory. */
  private static List<Path> storedAttachments(Path dataDir) throws IOException {
    try (Stream<Path> files = Files.list(dataDir.resolve("attachments"))) {
      return files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).toList();
    }
  }

  private static List<Path> listed(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return new ArrayList<>();
    }
    try (Stream<Path> files = Files.list(dir)) {
      return new ArrayList<>(files.toList());
    }
  }

  @Test
  void aFileOverTheCapIsRefusedAtOnceAndNothingIsQueued() throws Exception {
    var alice = parley.register();
    var bob = parley.register();
    Path big = Files.createTempDirectory("parley-big").resolve("big.bin");
    try (RandomAccessFile sparse = new RandomAccessFile(big.toFile(), "rw")) {
      sparse.setLength(100L << 20); // padded and encrypted, just over the default 100 MiB
    }
    assertThatThrownBy(() -> alice.client().send(bob.number(), "too big", List.of(OutgoingAttachment.of(big))))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining("big.bin is too large")
        .hasMessageContaining("104.9 MB");
    assertThat(history(alice.client(), bob.number())).isEmpty();
    assertThat(alice.client().awaitOutboxEmpty(Duration.ZERO)).isTrue();
    try (Stream<Path> files = Files.walk(alice.dataDir().resolve("attachments"))) {
      assertThat(files.filter(Files::isRegularFile)).isEmpty();
    }
    assertThatThrownBy(() -> alice.client().send(bob.number(), "", List.of(OutgoingAttachment.of(
        big.resolveSibling("missing.bin"))))).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("There is no file");
  }

  @Test
  void aServerWithASmallerCapRefusesTheUploadAndTheClientRemembersItsCap() throws Exception {
    try (TestServer own = TestServer.builder().setting("PARLEY_ATTACHMENTS_MAX_SIZE", "100000").start()) {
      String alice = Users.newNumber();
      String bob = Users.newNumber();
      Users.register(own, bob).close();
      try (ParleyClient a = Users.register(own, alice)) {
        Path file = Files.createTempDirectory("parley-cap").resolve("medium.bin");
        Files.write(file, randomWithMarker(150_000, 5));
        a.connect();
        Message sent = a.send(bob, "", List.of(OutgoingAttachment.of(file)));
        await().atMost(WAIT).until(() -> MessagingTest.statusOf(a, bob, sent.id()) == MessageStatus.FAILED);
        Attachment failed = a.attachment(sent.attachments().get(0).id());
        assertThat(failed.state()).isEqualTo(AttachmentState.FAILED);
        assertThat(failed.error()).hasValueSatisfying(e -> assertThat(e).contains("100000"));
        // A slot answer tells the client the server's cap (a refused reservation has none): after one small file,
        // the next oversize one is refused before it is queued.
        Path second = file.resolveSibling("second.bin");
        Files.write(second, randomWithMarker(150_000, 6));
        Path small = file.resolveSibling("small.bin");
        Files.write(small, new byte[1000]);
        Message ok = a.send(bob, "", List.of(OutgoingAttachment.of(small)));
        await().atMost(WAIT).until(() -> MessagingTest.statusOf(a, bob, ok.id()) == MessageStatus.SENT
            || MessagingTest.statusOf(a, bob, ok.id()) == MessageStatus.DELIVERED);
        assertThatThrownBy(() -> a.send(bob, "", List.of(OutgoingAttachment.of(second))))
            .isInstanceOf(InvalidInputException.class).hasMessageContaining("second.bin is too large");
      }
    }
  }

  @Test
  void anExpiredAttachmentIsNoLongerAvailable() throws Exception {
    try (TestServer own = TestServer.start()) {
      String alice = Users.newNumber();
      String bob = Users.newNumber();
      try (ParleyClient b = Users.register(own, bob); ParleyClient a = Users.register(own, alice)) {
        Path file = Files.createTempDirectory("parley-expiry").resolve("old.bin");
        Files.write(file, randomWithMarker(10_000, 9));
        a.connect();
        b.connect();
        a.send(bob, "", List.of(OutgoingAttachment.of(file)));
        Message received = awaitAttachmentMessage(b, alice, Message.Direction.INCOMING);
        own.clock.advance(Duration.ofDays(31));
        long id = received.attachments().get(0).id();
        assertThatThrownBy(() -> b.awaitDownload(id, WAIT)).isInstanceOf(NotFoundException.class)
            .hasMessageContaining("no longer available");
        assertThat(b.attachment(id).state()).isEqualTo(AttachmentState.EXPIRED);
        assertThat(b.attachment(id).error()).hasValueSatisfying(e -> assertThat(e).contains("no longer available"));
      }
    }
  }

  /** Opens {@code dataDir}'s client with uploads slowed to {@code bytesPerSecond}. */
  private static ParleyClient throttled(Path dataDir, TestServer server, long bytesPerSecond) throws Exception {
    return ClientComponents.open(ClientOptions.of(dataDir, server.url()),
        new FaultInjection(false, bytesPerSecond)).client();
  }

  @Test
  void anUploadResumesAfterAServerRestartAndTheMessageArrivesOnce() throws Exception {
    try (TestServer own = TestServer.start()) {
      String alice = Users.newNumber();
      String bob = Users.newNumber();
      Path aliceDir = Files.createTempDirectory("parley-alice");
      byte[] bytes = randomWithMarker(3_000_000, 21);
      Path file = Files.createTempDirectory("parley-restart").resolve("big.bin");
      Files.write(file, bytes);
      Users.register(own, alice, aliceDir).close();
      try (ParleyClient b = Users.register(own, bob); ParleyClient a = throttled(aliceDir, own, 1_000_000)) {
        Transfers transfers = new Transfers();
        a.addListener(transfers);
        a.connect();
        a.send(bob, "resumed", List.of(OutgoingAttachment.of(file)));
        await().atMost(WAIT).until(() -> transfers.uploaded() >= 800_000);
        own.stop();
        int before = transfers.progress.size();
        own.restart();
        b.connect();
        Message received = awaitAttachmentMessage(b, alice, Message.Direction.INCOMING);
        List<AttachmentProgress> after = transfers.progress.subList(before, transfers.progress.size());
        assertThat(after).filteredOn(AttachmentProgress::upload).isNotEmpty().first()
            .as("the upload after the restart starts where the server stopped")
            .satisfies(p -> assertThat(p.done()).isPositive());
        assertThat(plaintext(b, b.awaitDownload(received.attachments().get(0).id(), WAIT).id())).isEqualTo(bytes);
        assertThat(a.awaitOutboxEmpty(WAIT)).isTrue();
        assertThat(b.awaitQueueDrained(WAIT)).isTrue();
        assertThat(history(b, alice)).as("delivered once").hasSize(1);
      }
    }
  }

  @Test
  void aLargeFileUploadedWhileItIsSealedArrivesIntactAndOnceWithEachByteUploadedOnce() throws Exception {
    var bob = parley.register();
    String alice = Users.newNumber();
    Path aliceDir = Files.createTempDirectory("parley-alice");
    // Over OutgoingFiles.EARLY_UPLOAD_MIN_BYTES: its upload starts while send() seals it (ADR 0122, fourth step).
    byte[] bytes = randomWithMarker(24_000_000, 31);
    Path file = Files.createTempDirectory("parley-early").resolve("large.bin");
    Files.write(file, bytes);
    Users.register(parley.server(), alice, aliceDir).close();
    double uploadedBefore = uploadedBytes();
    try (ParleyClient a = parley.reopen(aliceDir)) {
      a.connect();
      bob.client().connect();
      a.send(bob.number(), "sealed and sent", List.of(OutgoingAttachment.of(file)));
      Message received = awaitAttachmentMessage(bob.client(), alice, Message.Direction.INCOMING);
      assertThat(plaintext(bob.client(), bob.client().awaitDownload(received.attachments().get(0).id(), WAIT).id()))
          .isEqualTo(bytes);
      assertThat(a.awaitOutboxEmpty(WAIT)).isTrue();
      assertThat(bob.client().awaitQueueDrained(WAIT)).isTrue();
      assertThat(history(bob.client(), alice)).as("delivered once").hasSize(1);
    }
    // The upload stopped when the file was sealed and the outbox continued it from the server's offset: the server
    // took the file about once (padding adds at most 5 %), not once per attempt.
    assertThat(uploadedBytes() - uploadedBefore).isBetween((double) bytes.length, bytes.length * 1.2);
    Files.delete(file); // 24 MB: not left in the temporary directory
    Files.delete(file.getParent());
  }

  /** The server's count of attachment bytes received, from its Prometheus metrics. */
  private static double uploadedBytes() throws Exception {
    return parley.server().metrics().lines().filter(l -> l.startsWith("parley_attachments_uploaded_bytes_total"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  @Test
  void anUploadResumesAfterTheClientIsClosedAndReopenedAndTheMessageArrivesOnce() throws Exception {
    var bob = parley.register();
    String alice = Users.newNumber();
    Path aliceDir = Files.createTempDirectory("parley-alice");
    byte[] bytes = randomWithMarker(3_000_000, 22);
    Path file = Files.createTempDirectory("parley-reopen").resolve("big.bin");
    Files.write(file, bytes);
    Users.register(parley.server(), alice, aliceDir).close();
    long attachmentId;
    long stoppedAt;
    try (ParleyClient a = throttled(aliceDir, parley.server(), 1_000_000)) {
      Transfers transfers = new Transfers();
      a.addListener(transfers);
      a.connect();
      attachmentId = a.send(bob.number(), "after reopening", List.of(OutgoingAttachment.of(file))).attachments()
          .get(0).id();
      await().atMost(WAIT).until(() -> transfers.uploaded() >= 800_000);
      stoppedAt = transfers.uploaded();
      // Progress comes at most every 200 ms per transfer (the last event of a transfer may come sooner).
      List<Long> at = List.copyOf(transfers.progressNanos);
      assertThat(at).hasSizeGreaterThan(2);
      for (int i = 2; i < at.size(); i++) {
        assertThat(at.get(i) - at.get(i - 1)).as("nanoseconds between progress events").isGreaterThan(150_000_000L);
      }
    }
    assertThat(stoppedAt).isLessThan(bytes.length);
    try (ParleyClient a = parley.reopen(aliceDir)) {
      assertThat(a.attachment(attachmentId).state()).isIn(AttachmentState.UPLOAD_PENDING, AttachmentState.UPLOADING);
      Transfers transfers = new Transfers();
      a.addListener(transfers);
      a.connect();
      bob.client().connect();
      Message received = awaitAttachmentMessage(bob.client(), alice, Message.Direction.INCOMING);
      assertThat(transfers.progress).filteredOn(AttachmentProgress::upload).isNotEmpty().first()
          .as("the reopened client continues from the server's offset")
          .satisfies(p -> assertThat(p.done()).isPositive());
      assertThat(plaintext(bob.client(), bob.client().awaitDownload(received.attachments().get(0).id(), WAIT).id()))
          .isEqualTo(bytes);
      assertThat(a.awaitOutboxEmpty(WAIT)).isTrue();
      assertThat(bob.client().awaitQueueDrained(WAIT)).isTrue();
      assertThat(history(bob.client(), alice)).as("delivered once").hasSize(1);
      assertThat(aliceDir.resolve("attachments").resolve(".upload"))
          .as("no separate transport copy: the local copy is uploaded (ADR 0122)").doesNotExist();
    }
  }

  @Test
  void aCancelledUploadFailsTheMessageAndARetrySendsItOnce() throws Exception {
    var bob = parley.register();
    String alice = Users.newNumber();
    Path aliceDir = Files.createTempDirectory("parley-alice");
    byte[] bytes = randomWithMarker(2_000_000, 23);
    Path file = Files.createTempDirectory("parley-cancel").resolve("cancelled.bin");
    Files.write(file, bytes);
    Users.register(parley.server(), alice, aliceDir).close();
    try (ParleyClient a = throttled(aliceDir, parley.server(), 500_000)) {
      Transfers transfers = new Transfers();
      a.addListener(transfers);
      a.connect();
      bob.client().connect();
      Message sent = a.send(bob.number(), "second try", List.of(OutgoingAttachment.of(file)));
      long id = sent.attachments().get(0).id();
      await().atMost(WAIT).until(() -> transfers.uploaded() >= 300_000);
      a.cancelTransfer(id);
      await().atMost(WAIT).until(() -> MessagingTest.statusOf(a, bob.number(), sent.id()) == MessageStatus.FAILED);
      assertThat(a.attachment(id).state()).isEqualTo(AttachmentState.CANCELLED);
      assertThat(a.awaitOutboxEmpty(WAIT)).isTrue();
      assertThat(transfers.changes).extracting(Attachment::state).contains(AttachmentState.UPLOADING,
          AttachmentState.CANCELLED);

      a.retryTransfer(id);
      Message received = awaitAttachmentMessage(bob.client(), alice, Message.Direction.INCOMING);
      assertThat(received.text()).isEqualTo("second try");
      assertThat(plaintext(bob.client(), bob.client().awaitDownload(received.attachments().get(0).id(), WAIT).id()))
          .isEqualTo(bytes);
      await().atMost(WAIT).until(() -> MessagingTest.statusOf(a, bob.number(), sent.id()) == MessageStatus.DELIVERED);
      assertThat(a.attachment(id).state()).isEqualTo(AttachmentState.UPLOADED);
      assertThat(bob.client().awaitQueueDrained(WAIT)).isTrue();
      assertThat(history(bob.client(), alice)).as("delivered once").hasSize(1);
    }
  }

  @Test
  void aTextToSomeoneElseDoesNotWaitForARunningUpload() throws Exception {
    var bob = parley.register();
    var carol = parley.register();
    String alice = Users.newNumber();
    Path aliceDir = Files.createTempDirectory("parley-alice");
    Path file = Files.createTempDirectory("parley-slow").resolve("slow.bin");
    Files.write(file, randomWithMarker(2_000_000, 24));
    Users.register(parley.server(), alice, aliceDir).close();
    try (ParleyClient a = throttled(aliceDir, parley.server(), 200_000)) {
      Transfers transfers = new Transfers();
      a.addListener(transfers);
      a.connect();
      carol.client().connect();
      long id = a.send(bob.number(), "slow", List.of(OutgoingAttachment.of(file))).attachments().get(0).id();
      await().atMost(WAIT).until(() -> transfers.uploaded() > 0);
      a.send(carol.number(), "meanwhile");
      await().atMost(WAIT).until(() -> history(carol.client(), alice).stream()
          .anyMatch(m -> m.text().equals("meanwhile")));
      assertThat(a.attachment(id).state()).as("the upload to Bob is still running")
          .isEqualTo(AttachmentState.UPLOADING);
      a.cancelTransfer(id);
    }
  }

  @Test
  void aLinkedDeviceGetsTheAttachmentOfAMessageSentFromThePhone() throws Exception {
    String alice = Users.newNumber();
    var bob = parley.register();
    try (ParleyClient phone = parley.register(alice).client()) {
      phone.connect();
      bob.client().connect();
      Linker desktop = parley.link("desktop");
      try (ParleyClient d = desktop.client) {
        phone.addDevice(desktop.currentLink(), "Alice");
        desktop.awaitLinked();
        d.connect();
        await().atMost(WAIT).until(() -> phone.devices().size() == 2);
        Path file = Files.createTempDirectory("parley-linked").resolve("notes.txt");
        byte[] bytes = "notes for every device of mine".getBytes(StandardCharsets.UTF_8);
        Files.write(file, bytes);
        phone.send(bob.number(), "synced", List.of(OutgoingAttachment.of(file)));
        Message copy = awaitAttachmentMessage(d, bob.number(), Message.Direction.OUTGOING);
        assertThat(copy.text()).isEqualTo("synced");
        Attachment attachment = d.awaitDownload(copy.attachments().get(0).id(), WAIT);
        assertThat(attachment.fileName()).isEqualTo("notes.txt");
        assertThat(plaintext(d, attachment.id())).isEqualTo(bytes);
        Message received = awaitAttachmentMessage(bob.client(), alice, Message.Direction.INCOMING);
        assertThat(plaintext(bob.client(), bob.client().awaitDownload(received.attachments().get(0).id(), WAIT)
            .id())).isEqualTo(bytes);
      }
    }
  }
}
