package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.ParleyClient;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;

/**
 * The parley command as a separate JVM, killed with SIGKILL at the worst moments: between "written to the outbox"
 * and "sent", between "stored" and "acknowledged", and in the middle of an upload. Nothing may be lost and nothing
 * shown twice.
 */
class CrashSafetyTest {

  static final Duration WAIT = Duration.ofSeconds(60);

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  /** A parley process; stdout and stderr lines are collected. */
  static final class Child {
    final Process process;
    final List<String> out = new CopyOnWriteArrayList<>();
    final List<String> err = new CopyOnWriteArrayList<>();

    Child(Map<String, String> env, String... args) throws IOException {
      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add(ParleyCli.class.getName());
      command.addAll(List.of(args));
      ProcessBuilder builder = new ProcessBuilder(command);
      builder.environment().putAll(env);
      process = builder.start();
      pump(process.getInputStream(), out);
      pump(process.getErrorStream(), err);
    }

    private static void pump(InputStream stream, List<String> into) {
      Thread t = new Thread(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
          String line;
          while ((line = r.readLine()) != null) {
            into.add(line);
          }
        } catch (IOException ignored) {
          // the process died
        }
      });
      t.setDaemon(true);
      t.start();
    }

    /** SIGKILL, as kill -9. */
    int kill9() throws InterruptedException {
      process.destroyForcibly();
      assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
      return process.exitValue();
    }
  }

  /** Accepts connections and reads what clients send, but never answers: the request hangs. */
  static final class BlackHole implements AutoCloseable {
    final ServerSocket socket = new ServerSocket(0);
    final List<String> requestLines = new CopyOnWriteArrayList<>();
    final List<Socket> clients = new CopyOnWriteArrayList<>();

    BlackHole() throws IOException {
      Thread acceptor = new Thread(() -> {
        while (!socket.isClosed()) {
          try {
            Socket client = socket.accept();
            clients.add(client);
            Thread reader = new Thread(() -> {
              try (BufferedReader r = new BufferedReader(new InputStreamReader(client.getInputStream(),
                  StandardCharsets.ISO_8859_1))) {
                String line;
                while ((line = r.readLine()) != null) {
                  if (line.matches("[A-Z]+ /.* HTTP/1\\.1")) {
                    requestLines.add(line);
                  }
                }
              } catch (IOException ignored) {
                // closed
              }
            });
            reader.setDaemon(true);
            reader.start();
          } catch (IOException e) {
            return;
          }
        }
      });
      acceptor.setDaemon(true);
      acceptor.start();
    }

    String url() {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }

    @Override
    public void close() throws IOException {
      socket.close();
      for (Socket client : clients) {
        client.close();
      }
    }
  }

  @Test
  void aSenderKilledBetweenOutboxAndSendDeliversAfterRestart() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path a = Cli.register(parley.server(), alice);
    Path b = Cli.register(parley.server(), bob);
    assertThat(Cli.run(a, "send", bob, "warm-up").code()).isZero();

    try (BlackHole hole = new BlackHole()) {
      Child sender = new Child(Map.of(), "-d", a.toString(), "-s", hole.url(), "send", bob, "survives kill -9");
      // The HTTP send is only attempted after the outbox row committed; once the request reaches the wire, kill.
      await().atMost(WAIT).until(() -> hole.requestLines.stream().anyMatch(l -> l.startsWith("PUT /v1/messages/")));
      assertThat(sender.kill9()).isEqualTo(137);
      assertThat(sender.out).isEmpty();
    }
    assertThat(Cli.run(a, "history", bob).out()).contains(">> survives kill -9  [… pending]");

    Cli.Result restarted = Cli.run(a, "receive", "--timeout", "1");
    assertThat(restarted.code()).as(restarted.err()).isZero();
    assertThat(Cli.run(a, "history", bob).out()).contains(">> survives kill -9  [✓ sent]");

    Cli.Result received = Cli.run(b, "receive", "--timeout", "1");
    assertThat(received.lines()).hasSize(2);
    assertThat(received.lines().get(1)).endsWith(alice + ": survives kill -9");
  }

  @Test
  void anUploadKilledHalfWayResumesWithTheNextRunAndArrivesOnce(@TempDir Path temp) throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path a = Cli.register(parley.server(), alice);
    Path b = Cli.register(parley.server(), bob);
    long size = 8L << 20;
    Path file = TestFiles.random(temp, "holiday.bin", size, 8);
    Path partial = parley.server().dataDir.resolve("attachments").resolve("partial");
    double uploadedBefore = uploadedBytes();

    // A 1 MiB/s uplink: the 8 MiB upload takes seconds, long enough to kill the sender in the middle of it.
    try (ThrottledProxy slow = new ThrottledProxy(parley.server().port(), 1 << 20)) {
      Child sender = new Child(Map.of(), "-d", a.toString(), "-s", slow.url(), "send", bob, "-a", file.toString(),
          "half way");
      await().atMost(WAIT).until(() -> largestFile(partial) > size / 2);
      assertThat(sender.kill9()).isEqualTo(137);
      assertThat(sender.out).isEmpty();
    }
    assertThat(Cli.run(a, "history", bob).out()).contains(">> half way  [… pending]");

    // Any command that connects drains the outbox: the upload continues from what the server has, then the message.
    Cli.Result restarted = Cli.run(a, "receive", "--timeout", "5");
    assertThat(restarted.code()).as(restarted.err()).isZero();
    assertThat(Cli.run(a, "history", bob).out()).contains(">> half way  [✓ sent]");
    // Resumed, not started over: the server took little more than the file once (padding is at most 5 %).
    assertThat(uploadedBytes() - uploadedBefore).isBetween((double) size, size * 1.2);

    Path saveDir = Files.createDirectory(temp.resolve("saved"));
    Cli.Result received = Cli.run(b, "receive", "--timeout", "1", "--save-dir", saveDir.toString());
    assertThat(received.code()).as(received.err()).isZero();
    assertThat(received.lines()).hasSize(2);
    assertThat(received.lines().get(0)).endsWith(alice + ": half way");
    assertThat(received.lines().get(1)).contains("holiday.bin").contains("saved to");
    assertThat(TestFiles.entries(saveDir)).singleElement()
        .satisfies(saved -> assertThat(TestFiles.sha256(saved)).isEqualTo(TestFiles.sha256(file)));
    assertThat(Cli.run(b, "receive", "--timeout", "1").out()).isEmpty();
    assertThat(Cli.run(b, "history", alice).lines()).filteredOn(l -> l.contains("<< half way")).hasSize(1);
  }

  private static long largestFile(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    long largest = 0;
    for (Path f : TestFiles.entries(dir)) {
      largest = Math.max(largest, Files.size(f));
    }
    return largest;
  }

  /** The server's count of attachment bytes received, from its Prometheus metrics. */
  private static double uploadedBytes() throws Exception {
    return parley.server().metrics().lines().filter(l -> l.startsWith("parley_attachments_uploaded_bytes_total"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  @Test
  void aReceiverKilledBeforeTheAckGetsTheMessageAgainAndShowsItOnce() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path a = Cli.register(parley.server(), alice);
    Path b = Cli.register(parley.server(), bob);
    String bobAccount;
    try (ParleyClient client = ParleyClient.open(ClientOptions.of(b, null))) {
      bobAccount = client.account().accountId();
    }
    assertThat(Cli.run(a, "send", bob, "ack me later").code()).isZero();
    assertThat(parley.server().queued(bobAccount, 1)).isEqualTo(1);

    Child receiver = new Child(Map.of("PARLEY_FAULT", "pause-before-ack"), "-d", b.toString(), "receive",
        "--timeout", "30");
    await().atMost(WAIT).until(() -> receiver.err.contains("PARLEY_FAULT pause-before-ack"));
    // The process printed the message before the fault line, but the two pipes are read by different threads.
    await().atMost(WAIT).until(() -> !receiver.out.isEmpty());
    assertThat(receiver.out).singleElement().satisfies(line -> assertThat(line).endsWith(": ack me later"));
    assertThat(receiver.kill9()).isEqualTo(137);
    // Not acknowledged: the server still has it.
    assertThat(parley.server().queued(bobAccount, 1)).isEqualTo(1);

    Cli.Result again = Cli.run(b, "receive", "--timeout", "1");
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).doesNotContain("ack me later");
    await().atMost(WAIT).until(() -> parley.server().queued(bobAccount, 1) == 0);
    assertThat(Cli.run(b, "history", alice).lines()).singleElement()
        .satisfies(line -> assertThat(line).contains("<< ack me later"));
  }
}
