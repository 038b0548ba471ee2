package org.parley.turn.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a config file in coturn's turnserver.conf style: one option per line, {@code name=value} or
 * {@code name value} or a bare flag {@code name}, {@code #} starts a comment. Each line becomes a
 * {@code --name=value} argument, so the file and the command line accept exactly the same names.
 */
final class ConfigFile {
  private ConfigFile() {}

  static List<String> toArguments(Path file) throws IOException {
    List<String> args = new ArrayList<>();
    int lineNumber = 0;
    for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      lineNumber++;
      String line = raw.strip();
      int hash = line.indexOf('#');
      if (hash >= 0) {
        line = line.substring(0, hash).strip();
      }
      if (line.isEmpty()) {
        continue;
      }
      String name;
      String value = null;
      int eq = line.indexOf('=');
      int space = line.indexOf(' ');
      int cut = eq >= 0 && (space < 0 || eq < space) ? eq : space;
      if (cut >= 0) {
        name = line.substring(0, cut).strip();
        value = line.substring(cut).strip();
        if (value.startsWith("=")) {
          value = value.substring(1).strip();
        }
        if (value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")) {
          value = value.substring(1, value.length() - 1);
        }
      } else {
        name = line;
      }
      if (name.startsWith("-") || name.isEmpty()) {
        throw new IOException(file + ":" + lineNumber + ": option names are written without dashes: " + raw);
      }
      args.add(value == null ? "--" + name : "--" + name + "=" + value);
    }
    return args;
  }
}
