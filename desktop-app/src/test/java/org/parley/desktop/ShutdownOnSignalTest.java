package org.parley.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.Message;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.ParleyClient;
import org.parley.testing.ParleyServerExtension;

/**
 * SIGTERM and Ctrl+C (SIGINT) end the real app cleanly: a new JVM running {@link Launcher} on GTK under a virtual
 * X display (Xvfb, apt package {@code xvfb}), with a registered account and a real server. Before the fix the JVM's
 * shutdown hooks ran while GTK's loop was live (JavaFX's own hook raced the FX thread: NullPointerExceptions,
 * sometimes SIGSEGV with an hs_err file) and the database was never closed.
 */
class ShutdownOnSignalTest {

  @RegisterExtension
  final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  private ParleyClient bob;
  private Process xvfb;
  private final List<Process> apps = new ArrayList<>();

  @AfterEach
  void stop() {
    apps.forEach(Process::destroyForcibly);
    if (xvfb != null) {
      xvfb.destroy();
    }
  }

  @Test
  void sigtermAndSigintCloseTheDatabaseAndExitWithoutACrash() throws Exception {
    Path account = Files.createTempDirectory("parley-signal-account");
    String me = parley.newNumber();
    parley.register(me, account).client().close();
    String bobNumber = parley.newNumber();
    bob = parley.register(bobNumber).client();
    bob.connect();
    String display = startXvfb();

    Path workDir = Files.createTempDirectory("parley-signal-cwd");
    Path firstLog = workDir.resolve("first.log");
    Process app = startApp(account, display, workDir, firstLog);
    // Delivered means the app is up: its main window connected the client, which stored the message.
    Message first = bob.send(me, "before SIGTERM");
    awaitDelivered(first);
    app.destroy(); // SIGTERM
    assertThat(app.waitFor(30, TimeUnit.SECONDS)).as("the app exits after SIGTERM").isTrue();
    assertCleanExit(app, 143, firstLog, workDir);

    // It opens again on the same database, and Ctrl+C ends it the same way.
    Path secondLog = workDir.resolve("second.log");
    app = startApp(account, display, workDir, secondLog);
    Message second = bob.send(me, "before Ctrl+C");
    awaitDelivered(second);
    assertThat(new ProcessBuilder("kill", "-INT", Long.toString(app.pid())).start().waitFor()).isZero();
    assertThat(app.waitFor(30, TimeUnit.SECONDS)).as("the app exits after SIGINT").isTrue();
    assertCleanExit(app, 130, secondLog, workDir);

    try (ParleyClient reopened = ParleyClient.open(ClientOptions.of(account, parley.url()))) {
      assertThat(reopened.history(bobNumber, 10)).extracting(Message::text)
          .contains("before SIGTERM", "before Ctrl+C");
    }
  }

  private void awaitDelivered(Message sent) {
    await().atMost(Duration.ofSeconds(90)).until(() -> bob.history(sent.contactNumber(), 20).stream()
        .anyMatch(m -> m.id() == sent.id() && m.status() == MessageStatus.DELIVERED));
  }

  private static void assertCleanExit(Process app, int status, Path log, Path workDir) throws IOException {
    String output = Files.readString(log, StandardCharsets.UTF_8);
    assertThat(app.exitValue()).as("exit status; output:%n%s", output).isEqualTo(status);
    assertThat(output).as("the app closed its database").contains("Closed the local database");
    assertThat(output).doesNotContain("A fatal error has been detected", "SIGSEGV", "Exception in thread");
    // libwebrtc's line at JVM exit, which reads like an error (the launcher closes stdout first).
    assertThat(output).doesNotContain("VM attach current thread failed");
    try (Stream<Path> files = Files.list(workDir)) {
      assertThat(files.map(f -> f.getFileName().toString())).noneMatch(name -> name.startsWith("hs_err_pid"));
    }
  }

  /** A virtual X display for GTK; its number is what Xvfb picked. */
  private String startXvfb() throws IOException {
    try {
      xvfb = new ProcessBuilder("Xvfb", "-displayfd", "1", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new IllegalStateException("This test runs the app on a virtual display and needs Xvfb "
          + "(Debian/Ubuntu: apt-get install xvfb libgtk-3-0 libgl1; scripts/test-all.sh installs them)", e);
    }
    BufferedReader out = new BufferedReader(new InputStreamReader(xvfb.getInputStream(), StandardCharsets.UTF_8));
    String number = out.readLine();
    if (number == null || !number.strip().matches("[0-9]+")) {
      throw new IllegalStateException("Xvfb did not start (it printed " + number + ")");
    }
    return ":" + number.strip();
  }

  /** The app as bin/parley-desktop starts it (its JVM options), on this test's class path. */
  private Process startApp(Path account, String display, Path workDir, Path log) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String line : Files.readAllLines(Path.of("jvm.options"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        command.add(line.strip());
      }
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), Launcher.class.getName(),
        "--data-dir", account.toString()));
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().put("DISPLAY", display);
    // No sound check in a child JVM: this machine has no sound, and it is not what is tested here.
    builder.environment().put("PARLEY_AUDIO", "none");
    Process app = builder.start();
    apps.add(app);
    return app;
  }
}
