package org.parley.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.parley.protocol.AttachmentSlot;
import org.parley.protocol.CreateAttachmentRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Upload and download throughput of one large attachment through the signaling server on loopback, against the
 * same bytes PUT to and GET from a plain HTTP file server (the JDK's, in its own process, also fsyncing before it
 * answers). The client is the same for both and uses the HTTP stacks client-core uses: the JDK's HttpClient PUTs the
 * file from disk, a blocking HttpURLConnection GETs it into a file. The server runs with a small heap to show it does not hold the file. Rounds alternate: a parley
 * round, then a plain one, so both meet the same load on a shared machine.
 */
@Command(name = "attachments", mixinStandardHelpOptions = true,
    description = "Uploads and downloads one large attachment --runs times through the server and through a plain"
        + " HTTP file server; prints the median throughputs and their ratio, and the server's peak RSS.")
final class AttachmentBench implements Callable<Integer> {

  @Option(names = "--server-jar", description = "The signaling server's jar (default: the server on this class path).")
  Path serverJar;

  @Option(names = "--through-client", description = "Send the file with a real ParleyClient (encrypt, pad, upload)"
      + " and receive it with another (download, verify, store), instead of bare HTTP PUT and GET.")
  boolean throughClient;

  @Option(names = "--work-dir", description = "Where the servers keep their data (default: a new temp dir).")
  Path workDir;

  @Option(names = "--server-jvm", split = " ", description = "JVM options for the server (default -Xmx256m).")
  List<String> serverJvm = new ArrayList<>(List.of("-Xmx256m"));

  @Option(names = "--size-mb", defaultValue = "200", description = "The attachment's size in MiB.")
  int sizeMb;

  @Option(names = "--runs", defaultValue = "3", description = "Upload+download rounds per server; medians count.")
  int runs;

  @Option(names = "--warmup", defaultValue = "1", description = "Rounds per server before the measured ones.")
  int warmup;

  private final HttpClient http = HttpClient.newHttpClient();

  @Override
  public Integer call() throws Exception {
    Path dir = workDir != null ? Files.createDirectories(workDir)
        : Files.createTempDirectory("parley-attachment-bench");
    try {
      return measure(dir);
    } finally {
      if (workDir == null) {
        TempDirs.delete(dir);
      }
    }
  }

  private int measure(Path dir) throws Exception {
    long size = (long) sizeMb << 20;
    Path file = dir.resolve("attachment.bin");
    String digest = writeRandomFile(file, size);
    Path download = dir.resolve("download.bin");
    System.out.printf("file: %d MiB, sha256 %s…%n", sizeMb, digest.substring(0, 16));

    List<String> jvm = new ArrayList<>(serverJvm);
    double[][] parley = new double[runs][];
    double[][] plain = new double[runs][];
    MemorySampler memory;
    System.out.println("load average at start: " + loadAverage());
    // Each parley round is followed by a plain round of the same file, so both see the same neighbours: on a
    // shared machine the load swings within a minute, and separate blocks of rounds compared different minutes.
    Process baseline = startPlainServer(dir.resolve("plain"));
    try {
      int port = plainPort(baseline);
      // The client's ciphertext is padded (at most 5 %) and framed: the server's cap must leave room for that.
      try (ServerUnderTest server = ServerUnderTest.launch(serverJar, dir.resolve("parley"), jvm,
          Map.of("PARLEY_ATTACHMENTS_MAX_SIZE", 2 * size + (1 << 20) + "",
              "PARLEY_ATTACHMENTS_QUOTA_PER_ACCOUNT", "1t"))) {
        System.out.println("parley server pid " + server.process.pid() + " (" + String.join(" ", jvm) + ")");
        ClientAttachmentPath clients = null;
        Accounts.Account account = null;
        try {
          if (throughClient) {
            System.out.printf("clients in this JVM (pid %d, max heap %d MiB)%n", ProcessHandle.current().pid(),
                Runtime.getRuntime().maxMemory() >> 20);
            clients = ClientAttachmentPath.open(server.http(), server.dataDir,
                Files.createTempDirectory(dir, "clients"));
          } else {
            account = Accounts.register(server.http(), server.dataDir, 1, "557").get(0);
          }
          memory = MemorySampler.start(server.process.pid());
          for (int run = -warmup; run < runs; run++) {
            double[] ours;
            if (throughClient) {
              ours = clientRound(clients, file, digest, server.process.pid(), run);
            } else {
              String id = reserve(server.http(), account, size);
              URI uri = server.http().resolve("/v1/attachments/" + id);
              ours = round(uri, HttpRequest.newBuilder(uri).header("Authorization", account.basicAuth()), file,
                  download, digest, server.process.pid());
            }
            URI plainUri = URI.create("http://127.0.0.1:" + port + "/files/f" + (run + warmup));
            double[] theirs = round(plainUri, HttpRequest.newBuilder(plainUri), file, download, digest,
                baseline.pid());
            double oursSeconds = throughClient ? ours[3] : ours[0] + ours[1];
            System.out.printf(Locale.ROOT, "  round %d%s: parley %.2f s, plain %.2f s: %.0f %% (load %s)%n", run,
                run < 0 ? " (warm-up)" : "", oursSeconds, theirs[0] + theirs[1],
                100 * (theirs[0] + theirs[1]) / oursSeconds, loadAverage());
            if (run >= 0) {
              parley[run] = ours;
              plain[run] = theirs;
            }
          }
          memory.stop();
        } finally {
          if (clients != null) {
            clients.close();
          }
        }
      }
    } finally {
      baseline.destroy();
      baseline.waitFor(10, TimeUnit.SECONDS);
    }
    System.out.println("load average at end: " + loadAverage());

    double[] p = medians(parley);
    double[] b = medians(plain);
    if (throughClient) {
      reportThroughClient(size, p, b, memory);
    } else {
      report(size, p, b, memory);
    }
    return 0;
  }

  private void report(long size, double[] p, double[] b, MemorySampler memory) {
    double mib = size / (double) (1 << 20);
    System.out.printf("parley: upload %.0f MiB/s, download %.0f MiB/s, round trip %.0f MiB/s; server peak RSS %d MiB%n",
        mib / p[0], mib / p[1], mib / (p[0] + p[1]), memory.serverPeakRss() >> 20);
    System.out.printf("plain HTTP (JDK HttpServer): upload %.0f MiB/s, download %.0f MiB/s, round trip %.0f MiB/s%n",
        mib / b[0], mib / b[1], mib / (b[0] + b[1]));
    double gib = size / (double) (1L << 30);
    System.out.printf("server CPU per GiB: parley upload %.2f s, download %.2f s; plain upload %.2f s, download"
        + " %.2f s%n", p[2] / gib, p[3] / gib, b[2] / gib, b[3] / gib);
    System.out.printf("attachments: %d MiB, round trip %.0f%% of plain HTTP (upload %.0f%%, download %.0f%%);"
        + " server CPU %.0f%% of plain%n", sizeMb, 100 * (b[0] + b[1]) / (p[0] + p[1]), 100 * b[0] / p[0],
        100 * b[1] / p[1], 100 * (p[2] + p[3]) / (b[2] + b[3]));
  }

  /** {@code p}: as {@link #clientRounds} gives; {@code b}: as {@link #round} gives. */
  private void reportThroughClient(long size, double[] p, double[] b, MemorySampler memory) {
    double mib = size / (double) (1 << 20);
    double gib = size / (double) (1L << 30);
    System.out.printf("parley through client-core: send→DOWNLOADED %.0f MiB/s (%.2f s); phases: prepare (check,"
        + " pad, encrypt to disk) %.2f s, upload %.2f s (%.0f MiB/s), download+verify+store %.2f s (%.0f MiB/s;"
        + " of which fetching the bytes %.2f s)%n", mib / p[3], p[3], p[0], p[1], mib / p[1], p[2], mib / p[2], p[6]);
    System.out.printf("plain HTTP (JDK HttpServer): upload %.0f MiB/s, download %.0f MiB/s, round trip %.0f MiB/s"
        + " (%.2f s)%n", mib / b[0], mib / b[1], mib / (b[0] + b[1]), b[0] + b[1]);
    System.out.printf("CPU per GiB: parley server %.2f s, clients %.2f s; plain server %.2f s, client %.2f s%n",
        p[4] / gib, p[5] / gib, (b[2] + b[3]) / gib, b[4] / gib);
    System.out.printf("memory: server peak RSS %d MiB; clients' JVM peak RSS %d MiB, peak heap used %d MiB of %d MiB%n",
        memory.serverPeakRss() >> 20, memory.selfPeakRss() >> 20, memory.selfPeakHeap() >> 20,
        Runtime.getRuntime().maxMemory() >> 20);
    System.out.printf("attachments through client: %d MiB, send→DOWNLOADED %.0f%% of plain HTTP round trip%n",
        sizeMb, 100 * (b[0] + b[1]) / p[3]);
  }

  /**
   * One round through the two clients: prepare, upload, download, total seconds, server and client CPU seconds,
   * then the download's fetch seconds.
   */
  private double[] clientRound(ClientAttachmentPath clients, Path file, String digest, long serverPid, int run)
      throws Exception {
    double server0 = cpuSeconds(serverPid);
    ClientAttachmentPath.Round r = clients.round(file, digest, "round " + run);
    double serverCpu = cpuSeconds(serverPid) - server0;
    double clientCpu = r.clientCpu();
    System.out.printf("  client round%s: prepare %.2f s, upload %.2f s, download %.2f s (fetch %.2f s),"
        + " send→DOWNLOADED %.2f s (server CPU %.2f s, clients CPU %.2f s)%n", run < 0 ? " (warm-up)" : "",
        r.prepare(), r.upload(), r.download(), r.fetch(), r.total(), serverCpu, clientCpu);
    return new double[] {r.prepare(), r.upload(), r.download(), r.total(), serverCpu, clientCpu, r.fetch()};
  }

  /** The 1, 5 and 15 minute load averages (Linux), or "unknown". */
  static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
      return fields[0] + " " + fields[1] + " " + fields[2];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /**
   * Seconds for the upload and for the download, then the server's CPU seconds for each (from /proc: on a busy
   * machine wall time varies with the neighbours, CPU time much less), then this JVM's CPU seconds for both (the
   * hashing of the download included); checks the downloaded bytes.
   */
  private double[] round(URI uri, HttpRequest.Builder put, Path file, Path download, String digest, long pid)
      throws Exception {
    long self = ProcessHandle.current().pid();
    double client0 = cpuSeconds(self);
    double cpu0 = cpuSeconds(pid);
    long start = System.nanoTime();
    HttpResponse<String> stored = http.send(put.PUT(HttpRequest.BodyPublishers.ofFile(file)).build(),
        HttpResponse.BodyHandlers.ofString());
    double up = (System.nanoTime() - start) / 1e9;
    double cpu1 = cpuSeconds(pid);
    if (stored.statusCode() / 100 != 2) {
      throw new IllegalStateException("upload to " + uri + ": " + stored.statusCode() + " " + stored.body());
    }
    start = System.nanoTime();
    int status = get(uri, download);
    double down = (System.nanoTime() - start) / 1e9;
    double cpu2 = cpuSeconds(pid);
    if (status != 200 || !sha256(download).equals(digest)) {
      throw new IllegalStateException("download from " + uri + " differs (" + status + ")");
    }
    System.out.printf("  %s: upload %.2f s (server CPU %.2f s), download %.2f s (server CPU %.2f s)%n",
        uri.getPort(), up, cpu1 - cpu0, down, cpu2 - cpu1);
    return new double[] {up, down, cpu1 - cpu0, cpu2 - cpu1, cpuSeconds(self) - client0};
  }

  /**
   * GETs {@code uri} into {@code file} the way client-core downloads (ADR 0122, third step): a blocking
   * {@link HttpURLConnection} read into a 256 KiB buffer and written to a file channel. On this machine that is
   * faster than the JDK HttpClient's {@code ofFile}, so a baseline on the HttpClient would flatter Parley.
   */
  private static int get(URI uri, Path file) throws IOException {
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
    int status = connection.getResponseCode();
    if (status != 200) {
      connection.disconnect();
      return status;
    }
    try (InputStream body = connection.getInputStream();
        FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
            StandardOpenOption.TRUNCATE_EXISTING)) {
      byte[] buffer = new byte[256 * 1024];
      for (int n; (n = body.read(buffer)) > 0; ) {
        ByteBuffer chunk = ByteBuffer.wrap(buffer, 0, n);
        while (chunk.hasRemaining()) {
          out.write(chunk);
        }
      }
    }
    return status;
  }

  private String reserve(URI server, Accounts.Account account, long size) throws Exception {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(server.resolve("/v1/attachments"))
        .header("Authorization", account.basicAuth())
        .header("Content-Type", "application/x-protobuf")
        .POST(HttpRequest.BodyPublishers.ofByteArray(
            CreateAttachmentRequest.newBuilder().setSize(size).build().toByteArray()))
        .build(), HttpResponse.BodyHandlers.ofByteArray());
    if (r.statusCode() != 200) {
      throw new IllegalStateException("reserve: " + r.statusCode() + " " + new String(r.body(), StandardCharsets.UTF_8));
    }
    return AttachmentSlot.parseFrom(r.body()).getId();
  }

  private static Process startPlainServer(Path dir) throws IOException {
    Files.createDirectories(dir);
    return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), PlainFileServer.class.getName(), dir.toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
  }

  private static int plainPort(Process process) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = out.readLine()) != null; ) {
      if (line.startsWith("plain file server listening on ")) {
        return Integer.parseInt(line.substring(line.lastIndexOf(':') + 1));
      }
    }
    throw new IOException("the plain file server did not start");
  }

  private static double[] medians(double[][] runs) {
    double[] medians = new double[runs[0].length];
    for (int i = 0; i < medians.length; i++) {
      int column = i;
      double[] sorted = Arrays.stream(runs).mapToDouble(r -> r[column]).sorted().toArray();
      medians[i] = sorted[sorted.length / 2];
    }
    return medians;
  }

  /** CPU seconds (user + system) a process has used, from /proc. */
  static double cpuSeconds(long pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
  }

  static String writeRandomFile(Path file, long size) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    SplittableRandom random = new SplittableRandom(12);
    byte[] block = new byte[1 << 20];
    try (OutputStream out = Files.newOutputStream(file)) {
      for (long written = 0; written < size; written += block.length) {
        random.nextBytes(block);
        int n = (int) Math.min(block.length, size - written);
        out.write(block, 0, n);
        sha.update(block, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }

  private static String sha256(Path file) throws Exception {
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    try (InputStream in = Files.newInputStream(file)) {
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        sha.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(sha.digest());
  }
}
