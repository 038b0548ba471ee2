package org.parley.turn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.turn.api.TurnServer;
import org.parley.turn.api.TurnServerConfig;
import org.parley.turn.message.MessageType;
import org.parley.turn.message.Method;
import org.parley.turn.message.Protection;
import org.parley.turn.message.StunMessage;
import org.parley.turn.message.TransactionId;
import org.parley.turn.testing.TestTurnClient;
import picocli.CommandLine;

class CommandLineTest {
  @TempDir
  Path dir;

  private static ParleyTurn parse(List<String> args) {
    ParleyTurn cmd = new ParleyTurn();
    CommandLine cl = new CommandLine(cmd);
    cl.setOverwrittenOptionsAllowed(true);
    cl.parseArgs(args.toArray(new String[0]));
    return cmd;
  }

  private static TurnServerConfig config(List<String> args) {
    return parse(args).toConfig(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  @Test
  void coturnStyleFlagsMapOntoTheConfig() throws Exception {
    TurnServerConfig c = config(List.of("--listening-ip=127.0.0.1", "--listening-port=3479", "--relay-ip=127.0.0.1",
        "--min-port=50000", "--max-port=50100", "--realm=example.org", "--user=alice:pw", "--user", "bob:pw2",
        "--use-auth-secret", "--static-auth-secret=s1", "--allow-loopback-peers", "--denied-peer-ip=203.0.113.0/24",
        "--allowed-peer-ip=10.0.0.1-10.0.0.9", "--user-quota=3", "--total-quota=100", "--max-bps=64000",
        "--stale-nonce=120", "--no-tcp"));
    assertThat(c.listeningIps()).containsExactly(InetAddress.getByName("127.0.0.1"));
    assertThat(c.listeningPort()).isEqualTo(3479);
    assertThat(c.minPort()).isEqualTo(50000);
    assertThat(c.maxPort()).isEqualTo(50100);
    assertThat(c.realm()).isEqualTo("example.org");
    assertThat(c.users()).containsExactly("alice:pw", "bob:pw2");
    assertThat(c.useAuthSecret()).isTrue();
    assertThat(c.staticAuthSecrets()).containsExactly("s1");
    assertThat(c.allowLoopbackPeers()).isTrue();
    assertThat(c.deniedPeerIps()).hasSize(1);
    assertThat(c.allowedPeerIps()).hasSize(1);
    assertThat(c.userQuota()).isEqualTo(3);
    assertThat(c.totalQuota()).isEqualTo(100);
    assertThat(c.maxBps()).isEqualTo(64000);
    assertThat(c.nonceLifetime()).isEqualTo(Duration.ofSeconds(120));
    assertThat(c.tcp()).isFalse();
    assertThat(c.udp()).isTrue();
  }

  @Test
  void configFileUsesTheSameNamesAndTheCommandLineWins() throws Exception {
    Path file = dir.resolve("turn.conf");
    Files.writeString(file, String.join("\n",
        "# a comment",
        "listening-port=3490",
        "realm \"file.example\"",
        "user=alice:pw   # trailing comment",
        "allow-loopback-peers",
        "",
        "min-port = 40000"));
    List<String> fromFile = ConfigFile.toArguments(file);
    assertThat(fromFile).containsExactly("--listening-port=3490", "--realm=file.example", "--user=alice:pw",
        "--allow-loopback-peers", "--min-port=40000");
    List<String> args = new ArrayList<>(fromFile);
    args.add("--listening-port=3491");
    TurnServerConfig c = config(args);
    assertThat(c.listeningPort()).isEqualTo(3491);
    assertThat(c.realm()).isEqualTo("file.example");
    assertThat(c.allowLoopbackPeers()).isTrue();
  }

  @Test
  void badInputGivesAClearErrorAndExitCode2() throws Exception {
    StringWriter err = new StringWriter();
    int code = ParleyTurn.run(new String[] {"--no-such-flag"}, new PrintWriter(new StringWriter()),
        new PrintWriter(err));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("Unknown option: '--no-such-flag'");

    Path file = dir.resolve("bad.conf");
    Files.writeString(file, "--realm=x\n");
    err = new StringWriter();
    code = ParleyTurn.run(new String[] {"-c", file.toString()}, new PrintWriter(new StringWriter()),
        new PrintWriter(err));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("without dashes");

    err = new StringWriter();
    code = ParleyTurn.run(new String[] {"-c", dir.resolve("missing.conf").toString()},
        new PrintWriter(new StringWriter()), new PrintWriter(err));
    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("cannot read config");
  }

  @Test
  void noCredentialsMeansNoServer() {
    Assertions.assertThatThrownBy(() -> config(List.of("--listening-port=0")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unauthenticated relaying");
    Assertions.assertThatThrownBy(() -> config(List.of("--use-auth-secret")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("static-auth-secret");
    Assertions.assertThatThrownBy(() -> config(List.of("--user=a:b", "--denied-peer-ip=x")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an IP");
  }

  @Test
  void prometheusEndpointServesTheServersMetrics() throws Exception {
    PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    try (TurnServer server = TurnServer.start(TurnServerConfig.builder()
            .listeningIp(InetAddress.getLoopbackAddress()).listeningPort(0).user("a:b").ioThreads(1)
            .meterRegistry(registry).build());
        MetricsHttpServer http = new MetricsHttpServer(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
            registry);
        TestTurnClient client = TestTurnClient.udp(server.udpAddresses().get(0))) {
      client.transact(StunMessage.builder(MessageType.request(Method.BINDING), TransactionId.random()).build(),
          Protection.none());
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + http.address().getPort() + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).contains("stun_requests_total{method=\"binding\"} 1.0")
          .contains("turn_allocations_active 0.0")
          .contains("turn_packets_dropped_total{reason=\"malformed\"} 0.0")
          .contains("turn_relayed_bytes_total{direction=\"to_peer\"}");
    }
  }
}
