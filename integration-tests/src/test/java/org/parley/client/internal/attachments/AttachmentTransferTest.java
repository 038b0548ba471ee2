package org.parley.client.internal.attachments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.api.CorruptAttachmentException;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.ParleyClient;
import org.parley.client.internal.db.Database;
import org.parley.client.internal.net.Credentials;
import org.parley.client.internal.net.RestClient;
import org.parley.client.internal.store.AccountTable;
import org.parley.protocol.AttachmentSlot;
import org.parley.protocol.AttachmentUploadStatus;
import org.parley.server.support.TestServer;
import org.parley.testing.Users;

/**
 * Uploads and downloads against the real signaling server on loopback (its attachment routes, ADR 0120); the
 * building blocks around them are tested in client-core.
 */
class AttachmentTransferTest {

  private static final byte[] MARKER = "MARKER-picture-bytes-9c1e".getBytes(StandardCharsets.US_ASCII);

  private static TestServer server;
  private static AttachmentTransfer transfer;

  @TempDir
  Path dir;

  @BeforeAll
  static void startServerAndRegister() throws Exception {
    server = TestServer.start();
    transfer = transferFor(server);
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void aFileGoesUpAndComesBackAndTheServerHoldsOnlyCiphertext() throws Exception {
    byte[] plaintext = randomWithMarker(3_000_000);
    Encrypted sent = encrypt(plaintext);
    AttachmentSlot slot = transfer.reserve(sent.length);
    assertThat(slot.getId()).matches("[A-Za-z0-9_-]{32}");

    List<Long> uploaded = new ArrayList<>();
    AttachmentUploadStatus status = transfer.upload(slot.getId(), sent.file, (done, total) -> uploaded.add(done),
        new AttachmentTransfer.Cancel());
    assertThat(status.getComplete()).isTrue();
    assertThat(uploaded).isSorted().startsWith(0L).endsWith(sent.length);

    assertThat(serverFilesContaining(MARKER)).as("server files holding the plaintext").isEmpty();
    assertThat(serverFilesContaining(Arrays.copyOf(sent.key.bytes(), 16))).as("server files holding the key")
        .isEmpty();

    List<Long> downloaded = new ArrayList<>();
    Path partial = dir.resolve("download.part");
    transfer.download(slot.getId(), sent.length, partial, (done, total) -> downloaded.add(done),
        new AttachmentTransfer.Cancel());
    assertThat(downloaded).isSorted().endsWith(sent.length);
    assertThat(received(slot.getId(), sent, partial)).isEqualTo(plaintext);
  }

  @Test
  void aStoppedUploadAndDownloadContinueFromWhereTheyStopped() throws Exception {
    byte[] plaintext = randomWithMarker(4_000_000);
    Encrypted sent = encrypt(plaintext);
    String id = transfer.reserve(sent.length).getId();

    AttachmentTransfer.Cancel stop = new AttachmentTransfer.Cancel();
    assertThatThrownBy(() -> transfer.upload(id, sent.file, (done, total) -> {
      if (done >= 1_000_000) {
        stop.cancel();
      }
    }, stop)).isInstanceOf(TransferCancelledException.class);
    // The server stores the stopped upload's last buffers after the connection is gone: wait until it has settled.
    long[] kept = {-1};
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
      long now = transfer.status(id).getReceived();
      boolean settled = now == kept[0];
      kept[0] = now;
      return settled;
    });
    assertThat(kept[0]).as("bytes the server kept from the stopped upload").isBetween(1L, sent.length - 1);

    List<Long> resumed = new ArrayList<>();
    assertThat(transfer.upload(id, sent.file, (done, total) -> resumed.add(done), new AttachmentTransfer.Cancel())
        .getComplete()).isTrue();
    assertThat(resumed.get(0)).as("the second upload starts where the server stopped").isEqualTo(kept[0]);

    Path partial = dir.resolve("download.part");
    AttachmentTransfer.Cancel stopDownload = new AttachmentTransfer.Cancel();
    assertThatThrownBy(() -> transfer.download(id, sent.length, partial, (done, total) -> {
      if (done >= 1_000_000) {
        stopDownload.cancel();
      }
    }, stopDownload)).isInstanceOf(TransferCancelledException.class);
    long have = Files.size(partial);
    assertThat(have).isBetween(1_000_000L, sent.length - 1);
    List<Long> continued = new ArrayList<>();
    transfer.download(id, sent.length, partial, (done, total) -> continued.add(done), new AttachmentTransfer.Cancel());
    assertThat(continued.get(0)).as("the second download asks for the rest only").isEqualTo(have);
    assertThat(received(id, sent, partial)).isEqualTo(plaintext);
  }

  @Test
  void aByteChangedOnTheServerIsRefusedAndNothingIsStored() throws Exception {
    byte[] plaintext = randomWithMarker(500_000);
    Encrypted sent = encrypt(plaintext);
    String id = transfer.reserve(sent.length).getId();
    transfer.upload(id, sent.file, AttachmentTransfer.Progress.NONE, new AttachmentTransfer.Cancel());
    byte[] ciphertext = Files.readAllBytes(sent.file);
    List<Path> copies = serverFilesEqualTo(ciphertext);
    assertThat(copies).as("the server's copy of the ciphertext").hasSize(1);
    byte[] tampered = ciphertext.clone();
    tampered[250_000] ^= 0x04;
    Files.write(copies.get(0), tampered);

    Path partial = dir.resolve("download.part");
    transfer.download(id, sent.length, partial, AttachmentTransfer.Progress.NONE, new AttachmentTransfer.Cancel());
    AttachmentFiles store = AttachmentFiles.open(dir.resolve("receiver"));
    assertThatThrownBy(() -> store.storeDownloaded(id, sent.key, sent.digest, plaintext.length, partial))
        .isInstanceOf(CorruptAttachmentException.class).hasMessageContaining("digest");
    assertThat(store.contains(id)).isFalse();
  }

  /**
   * A download checked as it arrives (ADR 0122) and resumed: the verifier also covers the bytes already on disk,
   * so a byte changed there between the two attempts is refused, and an intact resumed download is stored.
   */
  @Test
  void aResumedVerifiedDownloadChecksTheBytesAlreadyOnDiskToo() throws Exception {
    byte[] plaintext = randomWithMarker(3_000_000);
    Encrypted sent = encrypt(plaintext);
    String id = transfer.reserve(sent.length).getId();
    transfer.upload(id, sent.file, AttachmentTransfer.Progress.NONE, new AttachmentTransfer.Cancel());
    Path partial = dir.resolve("verified.part");
    AttachmentTransfer.Cancel stop = new AttachmentTransfer.Cancel();
    AttachmentCipher.Verifier verifier = AttachmentCipher.Verifier.of(sent.key, sent.length, plaintext.length);
    assertThatThrownBy(() -> transfer.download(id, sent.length, partial, (done, total) -> {
      if (done >= 1_000_000) {
        stop.cancel();
      }
    }, stop, verifier)).isInstanceOf(TransferCancelledException.class);
    byte[] part = Files.readAllBytes(partial);
    assertThat(part.length).isBetween(1_000_000, (int) sent.length - 1);
    Path intact = Files.write(dir.resolve("intact.part"), part);
    part[500] ^= 1;
    Files.write(partial, part);

    transfer.download(id, sent.length, partial, AttachmentTransfer.Progress.NONE, new AttachmentTransfer.Cancel(),
        verifier);
    AttachmentFiles store = AttachmentFiles.open(dir.resolve("receiver"));
    assertThatThrownBy(() -> store.storeDownloaded("bad", sent.key, sent.digest, plaintext.length, partial,
        verifier)).isInstanceOf(CorruptAttachmentException.class).hasMessageContaining("digest");
    assertThat(store.contains("bad")).isFalse();

    AttachmentCipher.Verifier second = AttachmentCipher.Verifier.of(sent.key, sent.length, plaintext.length);
    transfer.download(id, sent.length, intact, AttachmentTransfer.Progress.NONE, new AttachmentTransfer.Cancel(),
        second);
    store.storeDownloaded("good", sent.key, sent.digest, plaintext.length, intact, second);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    store.copyTo("good", out);
    assertThat(out.toByteArray()).isEqualTo(plaintext);
  }

  @Test
  void anUploadFollowsAFileWhileItIsWrittenAndSendsOnlyWhatIsThere() throws Exception {
    byte[] plaintext = randomWithMarker(3_000_000);
    Encrypted sent = encrypt(plaintext);
    byte[] ciphertext = Files.readAllBytes(sent.file);
    String id = transfer.reserve(sent.length).getId();
    Path growing = dir.resolve("growing.bin");
    List<Long> uploaded = new CopyOnWriteArrayList<>();
    int half = (int) sent.length / 2;
    try (FileChannel writer = FileChannel.open(growing, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        FileChannel reader = FileChannel.open(growing, StandardOpenOption.READ)) {
      writer.write(ByteBuffer.wrap(ciphertext, 0, half));
      CompletableFuture<AttachmentUploadStatus> upload = CompletableFuture.supplyAsync(() -> {
        try {
          return transfer.uploadGrowing(id, reader, sent.length, (done, total) -> uploaded.add(done),
              new AttachmentTransfer.Cancel());
        } catch (Exception e) {
          throw new CompletionException(e);
        }
      });
      // It sends the half that is there, then waits: nothing past it, and not finished.
      await().atMost(Duration.ofSeconds(20)).until(() -> uploaded.contains((long) half));
      Thread.sleep(300);
      assertThat(upload).isNotDone();
      assertThat(uploaded).allMatch(done -> done <= half);
      writer.write(ByteBuffer.wrap(ciphertext, half, ciphertext.length - half));
      assertThat(upload.get(20, TimeUnit.SECONDS).getComplete()).isTrue();
    }
    assertThat(uploaded).isSorted().endsWith(sent.length);
    Path partial = dir.resolve("download.part");
    transfer.download(id, sent.length, partial, (done, total) -> { }, new AttachmentTransfer.Cancel());
    assertThat(received(id, sent, partial)).isEqualTo(plaintext);
  }

  @Test
  void anUploadOfAFileStillWrittenStopsWhenCancelledAndAnOrdinaryUploadContinuesIt() throws Exception {
    byte[] plaintext = randomWithMarker(4_000_000);
    Encrypted sent = encrypt(plaintext);
    byte[] ciphertext = Files.readAllBytes(sent.file);
    String id = transfer.reserve(sent.length).getId();
    Path growing = dir.resolve("growing.bin");
    AttachmentTransfer.Cancel stop = new AttachmentTransfer.Cancel();
    try (FileChannel writer = FileChannel.open(growing, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        FileChannel reader = FileChannel.open(growing, StandardOpenOption.READ)) {
      writer.write(ByteBuffer.wrap(ciphertext, 0, 1_500_000));
      CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> {
        try {
          transfer.uploadGrowing(id, reader, sent.length, (done, total) -> { }, stop);
        } catch (Exception e) {
          throw new CompletionException(e);
        }
      });
      Thread.sleep(300);
      stop.cancel(); // while it waits for bytes that do not come
      assertThatThrownBy(() -> upload.get(20, TimeUnit.SECONDS)).hasCauseInstanceOf(TransferCancelledException.class);
      writer.write(ByteBuffer.wrap(ciphertext, 1_500_000, ciphertext.length - 1_500_000));
    }
    long[] kept = {-1};
    await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(200)).until(() -> {
      long now = transfer.status(id).getReceived();
      boolean settled = now == kept[0];
      kept[0] = now;
      return settled;
    });
    assertThat(kept[0]).as("bytes kept from the stopped upload").isBetween(0L, 1_500_000L);
    List<Long> resumed = new ArrayList<>();
    assertThat(transfer.upload(id, growing, (done, total) -> resumed.add(done), new AttachmentTransfer.Cancel())
        .getComplete()).isTrue();
    assertThat(resumed.get(0)).isEqualTo(kept[0]);
    Path partial = dir.resolve("download.part");
    transfer.download(id, sent.length, partial, (done, total) -> { }, new AttachmentTransfer.Cancel());
    assertThat(received(id, sent, partial)).isEqualTo(plaintext);
  }

  @Test
  void aGivenUpSlotIsGone() throws Exception {
    String id = transfer.reserve(1000).getId();
    transfer.delete(id);
    assertThatThrownBy(() -> transfer.status(id)).isInstanceOf(NotFoundException.class);
  }

  @Test
  void tooLargeUnknownAndMismatchedTransfersGetClearErrors() throws Exception {
    try (TestServer small = TestServer.start(Map.of("PARLEY_ATTACHMENTS_MAX_SIZE", "1m"))) {
      AttachmentTransfer capped = transferFor(small);
      assertThatThrownBy(() -> capped.reserve(2_000_000)).isInstanceOf(InvalidInputException.class)
          .hasMessageContaining("413");
    }
    Path partial = dir.resolve("none.part");
    assertThatThrownBy(() -> transfer.download("A".repeat(32), 5000, partial, AttachmentTransfer.Progress.NONE,
        new AttachmentTransfer.Cancel())).isInstanceOf(NotFoundException.class)
        .hasMessageContaining("no longer available");
    assertThat(partial).doesNotExist();

    Encrypted sent = encrypt(randomWithMarker(10_000));
    String id = transfer.reserve(sent.length + 16).getId();
    assertThatThrownBy(() -> transfer.upload(id, sent.file, AttachmentTransfer.Progress.NONE,
        new AttachmentTransfer.Cancel())).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("reserved for " + (sent.length + 16));
  }

  private static AttachmentTransfer transferFor(TestServer server) throws Exception {
    Path clientDir = Files.createTempDirectory("parley-client");
    try (ParleyClient client = Users.register(server, Users.newNumber(), clientDir)) {
      client.account();
    }
    SSLContext tls = SSLContext.getDefault();
    Credentials credentials;
    try (Database db = Database.open(clientDir)) {
      AccountTable.Row row = new AccountTable(db).get().orElseThrow();
      credentials = new Credentials(row.accountId(), row.deviceId(), row.password());
    }
    return new AttachmentTransfer(new RestClient(server.url(), () -> tls, () -> credentials),
        () -> credentials);
  }

  /** The downloaded ciphertext, verified and decrypted through the local store. */
  private byte[] received(String id, Encrypted sent, Path download) throws Exception {
    AttachmentFiles store = AttachmentFiles.open(dir.resolve("receiver"));
    store.storeDownloaded(id, sent.key, sent.digest, sent.plaintextLength, download);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    store.copyTo(id, out);
    return out.toByteArray();
  }

  private Encrypted encrypt(byte[] plaintext) throws IOException {
    AttachmentKey key = AttachmentKey.random();
    Path file = Files.createTempFile(dir, "upload", ".bin");
    AttachmentCipher.Sealed sealed;
    try (OutputStream out = Files.newOutputStream(file)) {
      sealed = AttachmentCipher.encrypt(key, new ByteArrayInputStream(plaintext), plaintext.length, out);
    }
    return new Encrypted(key, file, sealed.digest(), sealed.ciphertextLength(), plaintext.length);
  }

  private static byte[] randomWithMarker(int size) {
    byte[] bytes = new byte[size];
    new Random(size).nextBytes(bytes);
    System.arraycopy(MARKER, 0, bytes, size / 2, MARKER.length);
    return bytes;
  }

  private static List<Path> serverFilesContaining(byte[] needle) throws IOException {
    List<Path> found = new ArrayList<>();
    for (Path file : serverFiles()) {
      byte[] bytes = Files.readAllBytes(file);
      for (int i = 0; i + needle.length <= bytes.length; i++) {
        if (bytes[i] == needle[0] && Arrays.equals(bytes, i, i + needle.length, needle, 0, needle.length)) {
          found.add(file);
          break;
        }
      }
    }
    return found;
  }

  private static List<Path> serverFilesEqualTo(byte[] content) throws IOException {
    List<Path> found = new ArrayList<>();
    for (Path file : serverFiles()) {
      if (Files.size(file) == content.length && Arrays.equals(Files.readAllBytes(file), content)) {
        found.add(file);
      }
    }
    return found;
  }

  private static List<Path> serverFiles() throws IOException {
    try (Stream<Path> files = Files.walk(server.dataDir)) {
      return files.filter(Files::isRegularFile).collect(Collectors.toList());
    }
  }

  private record Encrypted(AttachmentKey key, Path file, byte[] digest, long length, long plaintextLength) {}
}
