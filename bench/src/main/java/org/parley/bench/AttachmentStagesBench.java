package org.parley.bench;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.parley.client.internal.attachments.AttachmentCipher;
import org.parley.client.internal.attachments.AttachmentFiles;
import org.parley.client.internal.attachments.AttachmentFormat;
import org.parley.client.internal.attachments.AttachmentKey;
import org.parley.client.internal.attachments.PaddedSizes;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Times each stage an attachment goes through on a client, one at a time over the same file, so the figures say
 * where the time of {@code attachments --through-client} goes (ADR 0122): the bare disk (read, write, fsync), each
 * primitive alone (AES-256-CBC, AES-256-GCM in 64 KiB chunks, HMAC-SHA256, SHA-256, in memory), and then the
 * client's real passes for each attachment format (prepare into the store, verify a download, store it, read it
 * back).
 */
@Command(name = "attachment-stages", mixinStandardHelpOptions = true,
    description = "Times the stages of an attachment on the client (disk, crypto primitives, the real passes),"
        + " each alone over one random file; prints seconds and MiB/s per stage.")
final class AttachmentStagesBench implements Callable<Integer> {

  private static final int CHUNK = 256 * 1024;
  private static final int GCM_CHUNK = 64 * 1024;

  @Option(names = "--size-mb", defaultValue = "200", description = "The file's size in MiB.")
  int sizeMb;

  @Option(names = "--runs", defaultValue = "3", description = "Times each stage runs; the median counts.")
  int runs;

  @Option(names = "--formats", split = ",", defaultValue = "CHUNKED_GCM,CBC_HMAC",
      description = "Attachment formats whose client passes are timed (CHUNKED_GCM, CBC_HMAC).")
  List<AttachmentFormat> formats;

  @Option(names = "--work-dir", description = "Where the files go (default: a new temp dir).")
  Path workDir;

  private record Stage(String name, double seconds, double cpuSeconds) {}

  private final List<Stage> stages = new ArrayList<>();
  private long size;

  @Override
  public Integer call() throws Exception {
    Path dir = workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("parley-stages");
    try {
      return measure(dir);
    } finally {
      if (workDir == null) {
        TempDirs.delete(dir);
      }
    }
  }

  private int measure(Path dir) throws Exception {
    size = (long) sizeMb << 20;
    Path source = dir.resolve("source.bin");
    AttachmentBench.writeRandomFile(source, size);
    Path dataDir = Files.createDirectories(dir.resolve("client"));
    AttachmentFiles files = AttachmentFiles.open(dataDir);
    AttachmentKey key = AttachmentKey.random();
    byte[] block = new byte[CHUNK];
    System.out.printf("file: %d MiB; each stage %d times, median%n", sizeMb, runs);

    time("disk: read the file (page cache)", () -> read(source, (b, n) -> { }));
    time("disk: write a copy, no fsync", () -> copy(source, dir.resolve("copy.bin"), false));
    time("disk: write a copy + fsync", () -> copy(source, dir.resolve("copy.bin"), true));
    time("crypto: AES-256-CBC encrypt (memory)", () -> {
      Cipher aes = Cipher.getInstance("AES/CBC/NoPadding");
      aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[32], "AES"), new IvParameterSpec(new byte[16]));
      byte[] out = new byte[CHUNK];
      for (long done = 0; done < size; done += CHUNK) {
        aes.update(block, 0, CHUNK, out, 0);
      }
    });
    time("crypto: AES-256-CBC decrypt (memory)", () -> {
      Cipher aes = Cipher.getInstance("AES/CBC/NoPadding");
      aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(new byte[32], "AES"), new IvParameterSpec(new byte[16]));
      byte[] out = new byte[CHUNK];
      for (long done = 0; done < size; done += CHUNK) {
        aes.update(block, 0, CHUNK, out, 0);
      }
    });
    time("crypto: AES-256-GCM seal, 64 KiB chunks (memory)", () -> gcmChunks(Cipher.ENCRYPT_MODE, block, null));
    byte[] sealedBlock = new byte[GCM_CHUNK + 16];
    Cipher sealer = Cipher.getInstance("AES/GCM/NoPadding");
    sealer.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[32], "AES"), new GCMParameterSpec(128, new byte[12]));
    sealer.doFinal(block, 0, GCM_CHUNK, sealedBlock, 0);
    time("crypto: AES-256-GCM open, 64 KiB chunks (memory)",
        () -> gcmChunks(Cipher.DECRYPT_MODE, sealedBlock, new byte[12]));
    time("crypto: HMAC-SHA256 (memory)", () -> {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
      for (long done = 0; done < size; done += CHUNK) {
        mac.update(block, 0, CHUNK);
      }
      mac.doFinal();
    });
    time("crypto: SHA-256 (memory)", () -> {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (long done = 0; done < size; done += CHUNK) {
        sha.update(block, 0, CHUNK);
      }
      sha.digest();
    });
    for (AttachmentFormat format : formats) {
      clientStages(format, dir, source, dataDir, files, key, block);
    }

    System.out.println();
    System.out.println("| Stage | Seconds | MiB/s | CPU seconds (all threads) |");
    System.out.println("| --- | --- | --- | --- |");
    for (Stage stage : stages) {
      System.out.printf(Locale.ROOT, "| %s | %.2f | %.0f | %.2f |%n", stage.name, stage.seconds,
          sizeMb / stage.seconds, stage.cpuSeconds);
    }
    return 0;
  }

  /** Seals (or opens) the file's worth of 64 KiB chunks, each under its own nonce, as the CHUNKED_GCM format does. */
  private void gcmChunks(int mode, byte[] input, byte[] fixedNonce) throws Exception {
    Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
    SecretKeySpec aesKey = new SecretKeySpec(new byte[32], "AES");
    byte[] out = new byte[GCM_CHUNK + 16];
    int inputLength = mode == Cipher.ENCRYPT_MODE ? GCM_CHUNK : GCM_CHUNK + 16;
    for (long index = 0; index * GCM_CHUNK < size; index++) {
      byte[] nonce = fixedNonce != null ? fixedNonce : ByteBuffer.allocate(12).putLong(index).array();
      gcm.init(mode, aesKey, new GCMParameterSpec(128, nonce));
      gcm.doFinal(input, 0, inputLength, out, 0);
    }
  }

  /** The client's real passes over the file, with the ciphertext in {@code format}. */
  private void clientStages(AttachmentFormat format, Path dir, Path source, Path dataDir, AttachmentFiles files,
      AttachmentKey key, byte[] block) throws Exception {
    String tag = "client " + format + ": ";
    AttachmentCipher.Sealed[] sealed = new AttachmentCipher.Sealed[1];
    time(tag + "prepare = read + pad + encrypt + MAC/tags + digest + write + fsync (one pass, into the store)",
        () -> {
          try (AttachmentFiles.PendingFile pending = files.create("s1", format, key, size,
              PaddedSizes.paddedSize(size));
              InputStream in = Files.newInputStream(source)) {
            for (int n; (n = in.read(block)) >= 0; ) {
              pending.stream().write(block, 0, n);
            }
            sealed[0] = pending.commit();
          }
        });
    Path stored = dataDir.resolve("attachments/s1");
    long ciphertextLength = sealed[0].ciphertextLength();
    time(tag + "verify digest + MAC/tags over a download (a read pass)", () -> {
      AttachmentCipher.Verifier verifier = AttachmentCipher.Verifier.of(format, key, ciphertextLength, size);
      read(stored, ciphertextLength, (b, n) -> verifier.update(b, 0, n));
      verifier.check(sealed[0].digest());
    });
    time(tag + "write a download + digest + MAC/tags as it arrives, store it (trailer, fsync, rename)", () -> {
      Path partial = dir.resolve("download.part");
      AttachmentCipher.Verifier verifier = AttachmentCipher.Verifier.of(format, key, ciphertextLength, size);
      try (FileChannel out = FileChannel.open(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.TRUNCATE_EXISTING)) {
        read(stored, ciphertextLength, (b, n) -> {
          verifier.update(b, 0, n);
          ByteBuffer chunk = ByteBuffer.wrap(b, 0, n);
          while (chunk.hasRemaining()) {
            out.write(chunk);
          }
        });
      }
      files.storeDownloaded("r1", key, sealed[0].digest(), size, partial, verifier);
    });
    time(tag + "open a stored attachment (MAC/tag check, then decrypt; output discarded)",
        () -> files.copyTo("r1", OutputStream.nullOutputStream()));
  }

  @FunctionalInterface
  private interface Body {
    void run() throws Exception;
  }

  @FunctionalInterface
  private interface Chunks {
    void accept(byte[] bytes, int count) throws IOException;
  }

  private void time(String name, Body body) throws Exception {
    body.run(); // warm-up: JIT, page cache
    double[] seconds = new double[runs];
    double[] cpu = new double[runs];
    for (int i = 0; i < runs; i++) {
      long cpu0 = processCpuNanos();
      long start = System.nanoTime();
      body.run();
      seconds[i] = (System.nanoTime() - start) / 1e9;
      cpu[i] = (processCpuNanos() - cpu0) / 1e9;
    }
    Arrays.sort(seconds);
    Arrays.sort(cpu);
    stages.add(new Stage(name, seconds[runs / 2], cpu[runs / 2]));
    System.out.printf(Locale.ROOT, "  %-100s %.2f s (CPU %.2f s)%n", name, seconds[runs / 2], cpu[runs / 2]);
  }

  /** This process's CPU time: with other programs on the cores, wall time swings; CPU time much less. */
  private static long processCpuNanos() {
    return ((OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private void read(Path file, Chunks chunks) throws IOException {
    read(file, Files.size(file), chunks);
  }

  private static void read(Path file, long length, Chunks chunks) throws IOException {
    try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
      for (long position = 0; position < length; ) {
        buffer.clear().limit((int) Math.min(CHUNK, length - position));
        int n = in.read(buffer, position);
        chunks.accept(buffer.array(), n);
        position += n;
      }
    }
  }

  private static void copy(Path from, Path to, boolean sync) throws IOException {
    try (FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      read(from, Files.size(from), (b, n) -> {
        ByteBuffer chunk = ByteBuffer.wrap(b, 0, n);
        while (chunk.hasRemaining()) {
          out.write(chunk);
        }
      });
      if (sync) {
        out.force(true);
      }
    }
  }
}
