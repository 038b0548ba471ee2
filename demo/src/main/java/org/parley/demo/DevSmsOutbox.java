package org.parley.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.parley.desktop.vm.CodeSource;

/** Reads codes from the development SMS outbox the embedded server writes ({@code <data dir>/dev-sms.txt}). */
public final class DevSmsOutbox implements CodeSource {

  private final Path file;

  public DevSmsOutbox(Path serverDataDir) {
    this.file = serverDataDir.resolve("dev-sms.txt");
  }

  @Override
  public Optional<String> codeFor(String number) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return Optional.empty();
    }
    for (int i = lines.size() - 1; i >= 0; i--) {
      String[] parts = lines.get(i).strip().split("\\s+");
      if (parts.length == 2 && parts[0].equals(number)) {
        return Optional.of(parts[1]);
      }
    }
    return Optional.empty();
  }
}
