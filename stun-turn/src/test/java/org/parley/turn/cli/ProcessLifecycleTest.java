package org.parley.turn.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.parley.turn.message.MessageClass;
import org.parley.turn.message.MessageType;
import org.parley.turn.message.Method;
import org.parley.turn.message.Protection;
import org.parley.turn.message.StunMessage;
import org.parley.turn.message.TransactionId;
import org.parley.turn.testing.TestTurnClient;

/** The real command in its own process: config file, the ready line, a Binding answered, SIGTERM → clean exit. */
class ProcessLifecycleTest {
  @TempDir
  Path dir;

  @Test
  void startsFromAConfigFileAnswersAndStopsGracefullyOnSigterm() throws Exception {
    Path conf = dir.resolve("turn.conf");
    Files.writeString(conf, "listening-ip=127.0.0.1\nlistening-port=0\nrealm=proc.test\nuser=alice:pw\n");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
        ParleyTurn.class.getName(), "-c", conf.toString(), "--relay-threads=1")
        .redirectError(dir.resolve("stderr.log").toFile()).start();
    try {
      BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
      String ready = out.readLine();
      assertThat(ready).as("first line of stdout; stderr: %s", Files.readString(dir.resolve("stderr.log")))
          .startsWith("parley-turn ready port=");
      Matcher m = Pattern.compile("port=(\\d+)").matcher(ready);
      assertThat(m.find()).isTrue();
      int port = Integer.parseInt(m.group(1));

      try (TestTurnClient c = TestTurnClient.udp(new InetSocketAddress("127.0.0.1", port))) {
        StunMessage r = c.transact(StunMessage.builder(MessageType.request(Method.BINDING), TransactionId.random())
            .build(), Protection.none());
        assertThat(r.messageClass()).isEqualTo(MessageClass.SUCCESS_RESPONSE);
      }

      p.destroy(); // SIGTERM
      assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("exits after SIGTERM").isTrue();
      assertThat(p.exitValue()).isIn(0, 143);
      List<String> log = Files.readAllLines(dir.resolve("stderr.log"));
      assertThat(log).anyMatch(l -> l.contains("STUN/TURN server stopped"));
    } finally {
      p.destroyForcibly();
    }
  }
}
