package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.assertj.core.data.Offset.offset;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.GraphicsEnvironment;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.internal.calls.Y4m;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;

/**
 * {@code parley call --video-source screen}: the caller runs in a child JVM on a virtual display (Xvfb, 1600×900)
 * that shows a window of four known colours (another child JVM, {@link ScreenContent}); Bob answers in this JVM and
 * records what arrives. His recording must show the four colours where the window has them, scaled down to fit
 * 1280×720. Without a display, the call goes on with audio and says why.
 */
class CliScreenShareTest {

  static Path dir;
  private final List<Process> children = new ArrayList<>();

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().turn().build();

  @BeforeAll
  static void directory() throws Exception {
    dir = Files.createTempDirectory("parley-cli-screen");
  }

  @AfterEach
  void stopChildren() throws Exception {
    for (Process p : children) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theRemoteRecordingShowsTheSharedScreensFourColoursWhereTheyAre() throws Exception {
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path a = Cli.register(parley.server(), alice);
    Path b = Cli.register(parley.server(), bob);
    Path bSaw = dir.resolve("bob-saw-the-screen.y4m");
    String display = startXvfb();
    Process content = child(display, ScreenContent.class.getName());
    BufferedReader contentOut = new BufferedReader(new InputStreamReader(content.getInputStream(),
        StandardCharsets.UTF_8));
    assertThat(contentOut.readLine()).as("the known window is on the screen").isEqualTo("ready");

    CompletableFuture<Cli.Result> answering = CompletableFuture.supplyAsync(() -> Cli.run(b, "answer", "--json",
        "--timeout", "60", "--record-video", bSaw.toString(), "--seconds", "60"));
    String calledOut;
    int code;
    int attempts = 0;
    do {
      Thread.sleep(500);
      Process caller = child(display, ParleyCli.class.getName(), "-d", a.toString(), "call", bob, "--json",
          "--video-source", "screen", "--seconds", "5");
      calledOut = new String(caller.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(caller.waitFor(90, TimeUnit.SECONDS)).isTrue();
      code = caller.exitValue();
    } while (code == ExitCodes.CALL_NOT_CONNECTED && calledOut.contains("unavailable") && ++attempts < 20);
    assertThat(code).as(calledOut).isZero();
    Cli.Result answered = answering.get(60, TimeUnit.SECONDS);
    assertThat(answered.code()).as(answered.out() + answered.err()).isZero();

    List<JsonNode> callerEvents = new ArrayList<>();
    for (String line : calledOut.strip().split("\\R")) {
      if (line.startsWith("{")) {
        callerEvents.add(Json.MAPPER.readTree(line));
      }
    }
    assertThat(callerEvents).filteredOn(e -> e.get("type").asText().equals("media"))
        .anySatisfy(m -> assertThat(m.get("local_video").asBoolean()).isTrue())
        .noneSatisfy(m -> assertThat(m.has("problem")).isTrue());
    // Sent at most 1280x720: the 1600x900 screen scaled down (libwebrtc may go lower still while it ramps up).
    assertThat(callerEvents).filteredOn(e -> e.get("type").asText().equals("stats") && e.has("video_out"))
        .isNotEmpty().allSatisfy(st -> {
          String[] size = st.get("video_out").asText().split("[x@]");
          assertThat(Integer.parseInt(size[0])).isBetween(0, 1280);
          assertThat(Integer.parseInt(size[1])).isBetween(0, 720);
        });

    try (Y4m.Reader reader = new Y4m.Reader(bSaw)) {
      Y4m.Header h = reader.header();
      assertThat(h.width()).isBetween(160, 1280);
      assertThat(h.width() * 9).as("16:9 like the screen").isCloseTo(h.height() * 16,
          offset(32));
      int frames = 0;
      int showing = 0;
      byte[] frame;
      while ((frame = reader.next()) != null) {
        frames++;
        if (showsQuadrants(frame, h)) {
          showing++;
        }
      }
      assertThat(frames).as("5 s at 30 frames per second of call time").isGreaterThan(100);
      assertThat(showing).as("frames showing red, green, blue and white where the window has them, of " + frames)
          .isGreaterThan(frames * 7 / 10);
    } finally {
      Files.deleteIfExists(bSaw); // ~230 MB of raw 1280x720
    }
  }

  @Test
  void withoutADisplayTheCallGoesOnWithAudioAndSaysWhy() throws Exception {
    assumeThat(GraphicsEnvironment.isHeadless()).as("this JVM has no display").isTrue();
    String alice = Users.newNumber();
    String bob = Users.newNumber();
    Path a = Cli.register(parley.server(), alice);
    Path b = Cli.register(parley.server(), bob);
    CompletableFuture<Cli.Result> answering = CompletableFuture.supplyAsync(() -> Cli.run(b, "answer", "--json",
        "--timeout", "30", "--seconds", "30"));
    Cli.Result called;
    int attempts = 0;
    do {
      Thread.sleep(500);
      called = Cli.run(a, "call", bob, "--json", "--video-source", "screen", "--seconds", "1");
    } while (called.code() == ExitCodes.CALL_NOT_CONNECTED && called.out().contains("unavailable")
        && ++attempts < 20);
    assertThat(called.code()).as(called.out() + called.err()).isZero();
    assertThat(answering.get(60, TimeUnit.SECONDS).code()).isZero();
    assertThat(CliCallTest.events(called)).filteredOn(e -> e.get("type").asText().equals("media"))
        .anySatisfy(m -> assertThat(m.get("problem").asText()).isEqualTo("No screen to share: there is no display"));
  }

  /** Y, U, V near each quadrant's colour (BT.601 studio range) in a box at the quadrant's centre. */
  private static boolean showsQuadrants(byte[] frame, Y4m.Header h) {
    int[][] yuv = {{82, 90, 240}, {145, 54, 34}, {41, 240, 110}, {235, 128, 128}};
    int w = h.width();
    int ht = h.height();
    int cw = h.chromaWidth();
    int ySize = w * ht;
    int cSize = cw * h.chromaHeight();
    for (int i = 0; i < 4; i++) {
      int cx = w / 4 + i % 2 * w / 2;
      int cy = ht / 4 + i / 2 * ht / 2;
      double y = mean(frame, 0, w, cx, cy, w / 10, ht / 10);
      double u = mean(frame, ySize, cw, cx / 2, cy / 2, w / 20, ht / 20);
      double v = mean(frame, ySize + cSize, cw, cx / 2, cy / 2, w / 20, ht / 20);
      if (Math.abs(y - yuv[i][0]) > 20 || Math.abs(u - yuv[i][1]) > 20 || Math.abs(v - yuv[i][2]) > 20) {
        return false;
      }
    }
    return true;
  }

  private static double mean(byte[] frame, int plane, int stride, int cx, int cy, int halfW, int halfH) {
    long sum = 0;
    int n = 0;
    for (int y = cy - halfH; y < cy + halfH; y++) {
      for (int x = cx - halfW; x < cx + halfW; x++) {
        sum += frame[plane + y * stride + x] & 0xff;
        n++;
      }
    }
    return (double) sum / n;
  }

  /** A JVM on this test's class path with {@code DISPLAY} set; its stderr goes to a file beside the recordings. */
  private Process child(String display, String mainClass, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
        .toString(), "-cp", System.getProperty("java.class.path"), mainClass));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectError(dir.resolve(mainClass.substring(mainClass.lastIndexOf('.') + 1) + ".err").toFile());
    builder.environment().put("DISPLAY", display);
    Process p = builder.start();
    children.add(p);
    return p;
  }

  /** A virtual X display of 1600x900 (more than the 1280x720 cap); its number is what Xvfb picked. */
  private String startXvfb() throws IOException {
    Process xvfb;
    try {
      xvfb = new ProcessBuilder("Xvfb", "-displayfd", "1", "-screen", "0", "1600x900x24", "-nolisten", "tcp")
          .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new IllegalStateException("This test shares a virtual display and needs Xvfb (Debian/Ubuntu: apt-get "
          + "install xvfb; scripts/test-all.sh installs it)", e);
    }
    children.add(xvfb);
    String number = new BufferedReader(new InputStreamReader(xvfb.getInputStream(), StandardCharsets.UTF_8))
        .readLine();
    if (number == null || !number.strip().matches("[0-9]+")) {
      throw new IllegalStateException("Xvfb did not start (it printed " + number + ")");
    }
    return ":" + number.strip();
  }
}
