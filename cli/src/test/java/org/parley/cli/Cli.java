package org.parley.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
}
