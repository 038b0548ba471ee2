package org.parley.turn.interop;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.BindException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.parley.turn.api.TurnServer;
import org.parley.turn.api.TurnServerConfig;

/**
 * Interop with clients nobody here wrote: coturn's turnutils_stunclient, turnutils_uclient and turnutils_peer
 * (Debian package {@code coturn}; scripts/test-all.sh installs it). Our server runs in-process on loopback with
 * ephemeral ports; each uclient run is bounded (few messages, a timeout) and must report 0% loss. If the binaries
 * are missing the tests fail, they do not skip.
 */
class CoturnInteropTest {
  private static final String SECRET = "interop-rest-secret";
  private static final long TIMEOUT_SECONDS = 90;
  private static final Pattern LOSS = Pattern.compile("Total lost packets (\\d+) \\(([0-9.]+)%\\)");
  private static final Pattern TOTALS = Pattern.compile("tot_send_msgs=(\\d+), tot_recv_msgs=(\\d+)\\s*$",
      Pattern.MULTILINE);

  private TurnServer server;
  private Process peer;
  private int peerPort;

  @BeforeAll
  static void coturnClientsAreInstalled() {
    for (String tool : List.of("turnutils_stunclient", "turnutils_uclient", "turnutils_peer")) {
      assertThat(onPath(tool))
          .as("%s not found on PATH: install the Debian package 'coturn' (scripts/test-all.sh does this)", tool)
          .isNotNull();
    }
  }

  private static Path onPath(String tool) {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
      Path p = Path.of(dir, tool);
      if (Files.isExecutable(p)) {
        return p;
      }
    }
    return null;
  }

  @BeforeEach
  void startPeer() throws Exception {
    // A port below Linux's ephemeral range (32768-60999), so other programs' sockets rarely collide with it; if
    // the peer does not echo within a few seconds, try another port.
    for (int attempt = 0; attempt < 3; attempt++) {
      peerPort = freeUdpPort();
      peer = new ProcessBuilder("turnutils_peer", "-L", "127.0.0.1", "-p", String.valueOf(peerPort))
          .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
      if (echoes(peerPort)) {
        return;
      }
      peer.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    throw new AssertionError("turnutils_peer did not start echoing on three ports");
  }

  /** turnutils_peer echoes every datagram: ready once a ping comes back (no bind probing, which could race). */
  private boolean echoes(int port) throws Exception {
    try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
      s.setSoTimeout(200);
      byte[] ping = "ping".getBytes(StandardCharsets.UTF_8);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (System.nanoTime() < deadline && peer.isAlive()) {
        s.send(new DatagramPacket(ping, ping.length, new InetSocketAddress("127.0.0.1", port)));
        try {
          DatagramPacket back = new DatagramPacket(new byte[16], 16);
          s.receive(back);
          return true;
        } catch (SocketTimeoutException notYet) {
          // try again
        }
      }
      return false;
    }
  }

  @AfterEach
  void stop() throws Exception {
    if (peer != null) {
      peer.destroy();
      peer.waitFor(5, TimeUnit.SECONDS);
    }
    if (server != null) {
      server.close();
    }
  }

  private static int freeUdpPort() throws IOException {
    Random random = new Random();
    for (int i = 0; i < 100; i++) {
      int port = 20000 + random.nextInt(10000);
      try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
        return s.getLocalPort();
      } catch (BindException taken) {
        // next
      }
    }
    throw new IOException("no free UDP port in 20000-29999");
  }

  private void startServer(boolean allowLoopbackPeers) throws Exception {
    server = TurnServer.start(TurnServerConfig.builder()
        .listeningIp(InetAddress.getByName("127.0.0.1")).listeningPort(0)
        .realm("interop.parley")
        .user("alice:wonderland")
        .authSecret(SECRET)
        .allowLoopbackPeers(allowLoopbackPeers)
        .ioThreads(2)
        .build());
  }

  private record Run(int exitCode, String output) {}

  private static Run run(List<String> command) throws Exception {
    Path log = Files.createTempFile("coturn-client", ".log");
    try {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      boolean done = p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      if (!done) {
        p.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
      String text = Files.readString(log, StandardCharsets.UTF_8);
      assertThat(done).as("%s did not finish within %d s; output:%n%s", command, TIMEOUT_SECONDS, text).isTrue();
      return new Run(p.exitValue(), text);
    } finally {
      Files.deleteIfExists(log);
    }
  }

  private List<String> uclient(String... options) {
    List<String> cmd = new ArrayList<>(List.of("turnutils_uclient"));
    cmd.addAll(List.of(options));
    cmd.addAll(List.of("-p", String.valueOf(server.port()), "-e", "127.0.0.1", "-r", String.valueOf(peerPort),
        "-n", "30", "-m", "2", "-l", "120", "-z", "10", "127.0.0.1"));
    return cmd;
  }

  /** Asserts uclient sent messages and got every one back through the relay and the peer. */
  private static void assertNoLoss(Run r) {
    assertThat(r.exitCode()).as("uclient exit code; output:%n%s", r.output()).isZero();
    Matcher loss = LOSS.matcher(r.output());
    assertThat(loss.find()).as("loss line in uclient output:%n%s", r.output()).isTrue();
    assertThat(Integer.parseInt(loss.group(1))).as("lost packets; output:%n%s", r.output()).isZero();
    Matcher totals = TOTALS.matcher(r.output());
    int sent = -1;
    int received = -1;
    while (totals.find()) {
      sent = Integer.parseInt(totals.group(1));
      received = Integer.parseInt(totals.group(2));
    }
    // -m 2 clients x -n 30 messages (uclient counts its RTP streams; each client also holds an RTCP allocation)
    assertThat(sent).as("messages sent; output:%n%s", r.output()).isEqualTo(60);
    assertThat(received).as("messages received; output:%n%s", r.output()).isEqualTo(sent);
  }

  @Test
  void stunclientGetsItsReflexiveAddress() throws Exception {
    startServer(false);
    // From 127.0.0.3 to a server on 127.0.0.1: the reflexive address must be the client's own, not the server's.
    Run r = run(List.of("turnutils_stunclient", "-p", String.valueOf(server.port()), "-L", "127.0.0.3",
        "127.0.0.1"));
    Matcher m = Pattern.compile("UDP reflexive addr: ([0-9.]+):(\\d+)").matcher(r.output());
    assertThat(m.find()).as("reflexive address in output:%n%s", r.output()).isTrue();
    assertThat(m.group(1)).isEqualTo("127.0.0.3");
    int port = Integer.parseInt(m.group(2));
    assertThat(port).isBetween(1, 65535).isNotEqualTo(server.port());
  }

  @Test
  void uclientOverUdpWithStaticCredentials() throws Exception {
    startServer(true);
    assertNoLoss(run(uclient("-u", "alice", "-w", "wonderland")));
  }

  @Test
  void uclientOverTcpWithStaticCredentials() throws Exception {
    startServer(true);
    assertNoLoss(run(uclient("-t", "-u", "alice", "-w", "wonderland")));
  }

  @Test
  void uclientOverUdpWithRestSecret() throws Exception {
    startServer(true);
    assertNoLoss(run(uclient("-u", "bob", "-W", SECRET)));
  }

  @Test
  void uclientOverTcpWithRestSecretUsingSendIndications() throws Exception {
    startServer(true);
    assertNoLoss(run(uclient("-t", "-s", "-u", "bob", "-W", SECRET)));
  }

  @Test
  void uclientWithWrongPasswordCannotAllocate() throws Exception {
    startServer(true);
    Run r = run(uclient("-u", "alice", "-w", "not-the-password"));
    assertThat(r.exitCode()).as("output:%n%s", r.output()).isNotZero();
    assertThat(r.output()).contains("Cannot complete Allocation");
  }

  @Test
  void withoutAllowLoopbackPeersTheSameRunIsRefusedWith403() throws Exception {
    startServer(false);
    Run udp = run(uclient("-u", "alice", "-w", "wonderland"));
    assertThat(udp.exitCode()).as("output:%n%s", udp.output()).isNotZero();
    assertThat(udp.output()).contains("error 403");
    assertThat(udp.output()).doesNotContain("Total lost packets 0");

    Run tcp = run(uclient("-t", "-s", "-u", "bob", "-W", SECRET));
    assertThat(tcp.exitCode()).as("output:%n%s", tcp.output()).isNotZero();
    assertThat(tcp.output()).contains("error 403");
  }
}
