package org.parley.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.parley.server.support.TestServer;

/** Runs the real picocli command objects in this JVM and captures what they print. */
final class Cli {

  record Result(int code, String out, String err) {
    List<String> lines() {
      return out.isBlank() ? List.of() : List.of(out.strip().split("\\R"));
    }
  }

  private Cli() {}

  static Result run(Path dataDir, String... args) {
    List<String> all = new ArrayList<>();
    if (dataDir != null) {
      all.add("-d");
      all.add(dataDir.toString());
    }
    all.addAll(List.of(args));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = ParleyCli.run(all.toArray(String[]::new), new ByteArrayInputStream(new byte[0]), out, err);
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** Registers {@code number} with the CLI's own commands ({@code register}, {@code verify}) in a new directory. */
  static Path register(TestServer server, String number) throws Exception {
    Path dir = Files.createTempDirectory("parley-cli");
    Result requested = run(dir, "-s", server.url().toString(), "register", number);
    assertThat(requested.code()).as(requested.err()).isZero();
    assertThat(requested.out()).contains("code was sent to " + number);
    Result verified = run(dir, "verify", server.lastCode(number));
    assertThat(verified.code()).as(verified.err()).isZero();
    assertThat(verified.out()).startsWith("Registered " + number);
    return dir;
  }
}
