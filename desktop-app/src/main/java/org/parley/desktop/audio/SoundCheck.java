package org.parley.desktop.audio;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds out whether this machine can run calls with its real microphone and speaker. libwebrtc's platform audio
 * module throws, hangs or aborts the whole JVM on a machine without sound (no PulseAudio, no ALSA device), so the
 * check runs {@link SoundProbe} in a child JVM with a time limit; only when it comes back healthy does the app touch
 * the sound devices itself. {@code PARLEY_AUDIO=none} skips the check (no sound), {@code PARLEY_AUDIO=system}
 * trusts the system without checking.
 */
public final class SoundCheck {

  /** The outcome: {@code problem} is empty when real devices can be used. */
  public record Result(Optional<String> problem) {
    public boolean available() {
      return problem.isEmpty();
    }
  }

  private SoundCheck() {}

  public static Result run(Map<String, String> env, Duration limit) {
    String setting = env.getOrDefault("PARLEY_AUDIO", "").strip();
    if (setting.equalsIgnoreCase("none")) {
      return new Result(Optional.of("sound is turned off (PARLEY_AUDIO=none)"));
    }
    if (setting.equalsIgnoreCase("system")) {
      return new Result(Optional.empty());
    }
    return probe(limit);
  }

  static Result probe(Duration limit) {
    Path java = Path.of(System.getProperty("java.home"), "bin",
        System.getProperty("os.name", "").startsWith("Windows") ? "java.exe" : "java");
    if (!java.toFile().canExecute()) {
      // A jlink/jpackage runtime made with --strip-native-commands has no java launcher to run the check with.
      return new Result(Optional.of("cannot check the sound system: no " + java + " (build the runtime without "
          + "--strip-native-commands)"));
    }
    List<String> command = List.of(java.toString(), "-Xmx64m", "-XX:TieredStopAtLevel=1", "-Xshare:auto",
        "-cp", System.getProperty("java.class.path"), SoundProbe.class.getName());
    Process process;
    try {
      process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      return new Result(Optional.of("cannot check the sound system: " + e.getMessage()));
    }
    try {
      process.getOutputStream().close();
      if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        return new Result(Optional.of("the sound system did not answer within " + limit.toMillis() + " ms"));
      }
      String output = read(process.getInputStream());
      String last = output.lines().filter(l -> l.startsWith("ok ") || l.startsWith("error "))
          .reduce((a, b) -> b).orElse("");
      if (process.exitValue() == 0 && last.startsWith("ok ")) {
        String[] counts = last.split(" ");
        if (counts.length == 3 && (counts[1].equals("0") || counts[2].equals("0"))) {
          return new Result(Optional.of("no " + (counts[1].equals("0") ? "microphone" : "speaker") + " found"));
        }
        return new Result(Optional.empty());
      }
      if (last.startsWith("error ")) {
        return new Result(Optional.of("no usable sound device (" + last.substring(6).strip() + ")"));
      }
      return new Result(Optional.of("no usable sound device (the check stopped with exit code "
          + process.exitValue() + ")"));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      return new Result(Optional.of("the sound check was interrupted"));
    } catch (IOException e) {
      return new Result(Optional.of("cannot check the sound system: " + e.getMessage()));
    }
  }

  private static String read(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(64 * 1024);
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
