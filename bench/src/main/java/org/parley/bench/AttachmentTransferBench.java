package org.parley.bench;

import java.io.BufferedOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import org.parley.client.internal.attachments.AttachmentCipher;
import org.parley.client.internal.attachments.AttachmentFiles;
import org.parley.client.internal.attachments.AttachmentFormat;
import org.parley.client.internal.attachments.AttachmentKey;
import org.parley.client.internal.attachments.AttachmentTransfer;
import org.parley.client.internal.net.Credentials;
import org.parley.client.internal.net.RestClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * client-core's transfer layer alone against bare HTTP on the same server (ADR 0122, third step): one ciphertext
 * uploaded with {@link AttachmentTransfer#upload}, downloaded with its verifier and stored with
 * {@link AttachmentFiles#storeDownloaded}, then the same bytes PUT to a fresh slot and GET with the JDK's HttpClient,
 * in one JVM, round after round. No messages, no outbox, no second client: what the client's own transfer code
 * costs in wall and CPU time over a bare request, with the neighbours of the same minute.
 */
@Command(name = "attachment-transfer", mixinStandardHelpOptions = true,
    description = "Times client-core's upload and verified download of one attachment against bare HttpClient"
        + " requests to the same server; prints medians of wall and CPU seconds.")
final class AttachmentTransferBench implements Callable<Integer> {

  @Option(names = "--server-jar", description = "The signaling server's jar (default: the server on this class path).")
  Path serverJar;

  @Option(names = "--size-mb", defaultValue = "200", description = "The attachment's plaintext size in MiB.")
  int sizeMb;

  @Option(names = "--runs", defaultValue = "4", description = "Measured rounds, after one warm-up round.")
  int runs;

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("parley-attachment-transfer-bench");
    try {
      measure(dir);
      return 0;
    } finally {
      TempDirs.delete(dir);
    }
  }

  private void measure(Path dir) throws Exception {
    long size = (long) sizeMb << 20;
    Path plaintext = dir.resolve("plain.bin");
    AttachmentBench.writeRandomFile(plaintext, size);
    AttachmentKey key = AttachmentKey.random();
    Path ciphertext = dir.resolve("cipher.bin");
    AttachmentCipher.Sealed sealed;
    try (InputStream in = Files.newInputStream(plaintext);
        OutputStream out = new BufferedOutputStream(Files.newOutputStream(ciphertext), 1 << 18)) {
      sealed = AttachmentCipher.encrypt(AttachmentFormat.CURRENT, key, in, size, out);
    }
    Files.delete(plaintext);
    long length = Files.size(ciphertext);
    HttpClient http = HttpClient.newHttpClient();
    AttachmentFiles files = AttachmentFiles.open(Files.createDirectories(dir.resolve("client")));
    Map<String, List<Double>> figures = new TreeMap<>();
    System.out.println("load average at start: " + AttachmentBench.loadAverage());
    try (ServerUnderTest server = ServerUnderTest.launch(serverJar, dir.resolve("parley"), List.of("-Xmx256m"),
        Map.of("PARLEY_ATTACHMENTS_MAX_SIZE", 2 * size + (1 << 20) + "",
            "PARLEY_ATTACHMENTS_QUOTA_PER_ACCOUNT", "1t"))) {
      Accounts.Account account = Accounts.register(server.http(), server.dataDir, 1, "558").get(0);
      Credentials credentials = new Credentials(account.accountId(), 1, account.password());
      RestClient rest = new RestClient(server.http(), AttachmentTransferBench::defaultTls, () -> credentials);
      AttachmentTransfer transfer = new AttachmentTransfer(rest, () -> credentials);
      long self = ProcessHandle.current().pid();
      for (int round = -1; round < runs; round++) {
        String id = transfer.reserve(length).getId();
        double cpu0 = AttachmentBench.cpuSeconds(self);
        long t0 = System.nanoTime();
        transfer.upload(id, ciphertext, AttachmentTransfer.Progress.NONE, new AttachmentTransfer.Cancel());
        long t1 = System.nanoTime();
        double cpu1 = AttachmentBench.cpuSeconds(self);
        Path partial = dir.resolve("partial");
        AttachmentCipher.Verifier verifier = AttachmentCipher.Verifier.of(AttachmentFormat.CURRENT, key, length,
            size);
        transfer.download(id, length, partial, AttachmentTransfer.Progress.NONE, new AttachmentTransfer.Cancel(),
            verifier);
        long t2 = System.nanoTime();
        files.storeDownloaded("r" + (round + 1), key, sealed.digest(), size, partial, verifier);
        long t3 = System.nanoTime();
        double cpu3 = AttachmentBench.cpuSeconds(self);
        String bareId = transfer.reserve(length).getId();
        long b0 = System.nanoTime();
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(server.http().resolve("/v1/attachments/" + bareId))
            .header("Authorization", account.basicAuth()).PUT(HttpRequest.BodyPublishers.ofFile(ciphertext)).build(),
            HttpResponse.BodyHandlers.ofString());
        long b1 = System.nanoTime();
        URI uri = server.http().resolve("/v1/attachments/" + id);
        HttpResponse<Path> got = http.send(HttpRequest.newBuilder(uri).GET().build(),
            HttpResponse.BodyHandlers.ofFile(dir.resolve("bare.bin")));
        long b2 = System.nanoTime();
        double cpu4 = AttachmentBench.cpuSeconds(self);
        if (put.statusCode() / 100 != 2 || got.statusCode() != 200 || Files.size(got.body()) != length) {
          throw new IllegalStateException("bare round: PUT " + put.statusCode() + ", GET " + got.statusCode());
        }
        System.out.printf(Locale.ROOT, "  round %d%s: client upload %.2f s, download %.2f s, store %.2f s (CPU %.2f +"
            + " %.2f s) | bare upload %.2f s, download %.2f s (CPU %.2f s) | load %s%n", round,
            round < 0 ? " (warm-up)" : "", s(t0, t1), s(t1, t2), s(t2, t3), cpu1 - cpu0, cpu3 - cpu1, s(b0, b1),
            s(b1, b2), cpu4 - cpu3, AttachmentBench.loadAverage());
        if (round >= 0) {
          add(figures, "client upload, s", s(t0, t1));
          add(figures, "client download (verified), s", s(t1, t2));
          add(figures, "client store, s", s(t2, t3));
          add(figures, "client CPU upload, s", cpu1 - cpu0);
          add(figures, "client CPU download + store, s", cpu3 - cpu1);
          add(figures, "bare upload, s", s(b0, b1));
          add(figures, "bare download, s", s(b1, b2));
          add(figures, "bare CPU upload + download, s", cpu4 - cpu3);
        }
        files.delete("r" + (round + 1));
      }
    }
    System.out.println("load average at end: " + AttachmentBench.loadAverage());
    System.out.printf("%d MiB, medians of %d rounds:%n", sizeMb, runs);
    figures.forEach((name, values) -> {
      Collections.sort(values);
      System.out.printf(Locale.ROOT, "  %-32s %.2f %s%n", name, values.get(values.size() / 2), values);
    });
  }

  private static SSLContext defaultTls() {
    try {
      return SSLContext.getDefault();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static double s(long from, long to) {
    return (to - from) / 1e9;
  }

  private static void add(Map<String, List<Double>> figures, String name, double value) {
    figures.computeIfAbsent(name, k -> new ArrayList<>()).add(Math.round(value * 100) / 100.0);
  }
}
