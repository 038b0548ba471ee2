package org.parley.bench;

import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.Message;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyListener;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.attachments.AttachmentProgress;
import org.parley.client.api.attachments.AttachmentState;
import org.parley.client.api.attachments.OutgoingAttachment;

/**
 * One file sent as an attachment from a sender {@link ParleyClient} to a receiver, both real clients in this JVM
 * talking to the server under test over loopback: {@code send} (check, encrypt and pad into the sender's data
 * directory), upload, the message, then the receiver's download, verification and encrypted local copy.
 */
final class ClientAttachmentPath implements AutoCloseable {

  /** Generous: a 1 GiB round on a loaded 2-core machine takes minutes. */
  private static final Duration TIMEOUT = Duration.ofMinutes(30);

  private final ParleyClient sender;
  private final ParleyClient receiver;
  private final String receiverNumber;
  /** Sender side: attachment id → nanoTime it reached UPLOADED (or FAILED, as a negative time). */
  private final Map<Long, Long> uploaded = new ConcurrentHashMap<>();
  /** Receiver side: attachment id → nanoTime its last downloaded byte was written (before fsync and checks). */
  private final Map<Long, Long> fetched = new ConcurrentHashMap<>();
  /** Receiver side: the next received message and when it arrived. */
  private final Map<String, Received> received = new ConcurrentHashMap<>();

  private record Received(Message message, long nanos) {}

  /**
   * Seconds of each phase of one round, and the whole; {@code download} splits into {@code fetch} (the bytes over
   * the network into a file) and the rest (fsync, verify digest and MAC, decrypt, store encrypted). Also the CPU
   * seconds this JVM (both clients) used from send to DOWNLOADED.
   */
  record Round(double prepare, double upload, double download, double fetch, double total, double clientCpu) {}

  private ClientAttachmentPath(ParleyClient sender, ParleyClient receiver, String receiverNumber) {
    this.sender = sender;
    this.receiver = receiver;
    this.receiverNumber = receiverNumber;
  }

  /**
   * Registers two accounts on {@code server} (codes from the dev SMS outbox in {@code serverDataDir}), connects
   * them and sends a first small file.
   */
  static ClientAttachmentPath open(URI server, Path serverDataDir, Path clientsDir) throws Exception {
    ParleyClient sender = register(server, serverDataDir, clientsDir.resolve("sender"), "+15557000001");
    ParleyClient receiver = register(server, serverDataDir, clientsDir.resolve("receiver"), "+15557000002");
    ClientAttachmentPath path = new ClientAttachmentPath(sender, receiver, "+15557000002");
    sender.addListener(new ParleyListener() {
      @Override
      public void attachmentChanged(Attachment attachment) {
        if (attachment.state() == AttachmentState.UPLOADED) {
          path.uploaded.putIfAbsent(attachment.id(), System.nanoTime());
        } else if (attachment.state() == AttachmentState.FAILED) {
          path.uploaded.putIfAbsent(attachment.id(), -1L);
        }
      }
    });
    receiver.addListener(new ParleyListener() {
      @Override
      public void attachmentProgress(AttachmentProgress progress) {
        if (!progress.upload() && progress.done() >= progress.total()) {
          path.fetched.putIfAbsent(progress.attachmentId(), System.nanoTime());
        }
      }

      @Override
      public void messageReceived(Message message) {
        if (message.hasAttachments()) {
          path.received.put(message.text(), new Received(message, System.nanoTime()));
        }
      }
    });
    receiver.setAutoDownloadLimit(0);
    sender.connect();
    receiver.connect();
    receiver.awaitQueueDrained(Duration.ofSeconds(60));
    // The sender learns the server's size cap from its first slot answer (until then it assumes 100 MiB), and the
    // session gets set up: one small file first.
    Path small = clientsDir.resolve("first.bin");
    Files.write(small, new byte[64 << 10]);
    path.round(small, sha256(Files.newInputStream(small)), "first");
    return path;
  }

  /**
   * Sends {@code file} once and waits until the receiver has it DOWNLOADED; checks its plaintext against
   * {@code sha256} (outside the timing) and deletes both messages with their files so rounds do not fill the disk.
   */
  Round round(Path file, String sha256, String caption) throws Exception {
    long self = ProcessHandle.current().pid();
    double cpu0 = AttachmentBench.cpuSeconds(self);
    long start = System.nanoTime();
    Message sent = sender.send(receiverNumber, caption,
        List.of(new OutgoingAttachment(file, Optional.of("application/octet-stream"), Optional.empty(), true)));
    long prepared = System.nanoTime();
    long attachmentId = sent.attachments().get(0).id();
    Received arrival = awaitArrival(caption);
    long id = arrival.message().attachments().get(0).id();
    receiver.download(id);
    Attachment done = receiver.awaitDownload(id, TIMEOUT);
    long end = System.nanoTime();
    double cpu = AttachmentBench.cpuSeconds(self) - cpu0;
    Long uploadedAt = uploaded.remove(attachmentId);
    Long fetchedAt = fetched.remove(id);
    if (done.state() != AttachmentState.DOWNLOADED || uploadedAt == null || uploadedAt < 0 || fetchedAt == null) {
      throw new IllegalStateException("round " + caption + ": receiver " + done.state() + ", sender upload "
          + (uploadedAt == null ? "not reported" : uploadedAt < 0 ? "failed" : "done"));
    }
    if (!sha256(receiver.openAttachment(id)).equals(sha256)) {
      throw new IllegalStateException("round " + caption + ": the received plaintext differs from the file sent");
    }
    sender.deleteMessage(sent.id());
    receiver.deleteMessage(arrival.message().id());
    return new Round(seconds(start, prepared), seconds(prepared, uploadedAt), seconds(arrival.nanos(), end),
        seconds(arrival.nanos(), fetchedAt), seconds(start, end), cpu);
  }

  private Received awaitArrival(String caption) throws InterruptedException {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    Received arrival;
    while ((arrival = received.remove(caption)) == null) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the message with attachment " + caption + " never arrived");
      }
      TimeUnit.MILLISECONDS.sleep(2);
    }
    return arrival;
  }

  private static double seconds(long from, long to) {
    return (to - from) / 1e9;
  }

  private static ParleyClient register(URI server, Path serverDataDir, Path dataDir, String number)
      throws Exception {
    Files.createDirectories(dataDir);
    ParleyClient client = ParleyClient.open(ClientOptions.of(dataDir, server));
    client.requestCode(number);
    String code = Files.readAllLines(serverDataDir.resolve("dev-sms.txt")).stream()
        .filter(line -> line.startsWith(number + " ")).reduce((a, b) -> b).orElseThrow().split(" ")[1];
    client.verify(code);
    return client;
  }

  static String sha256(InputStream in) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (in) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  @Override
  public void close() {
    try {
      sender.close();
    } finally {
      receiver.close();
    }
  }
}
