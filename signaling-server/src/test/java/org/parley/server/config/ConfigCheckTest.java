package org.parley.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** {@code parley-server check-config}, and the documented config file (README, installer) against what is read. */
class ConfigCheckTest {

  /** The commented TOML block of the module README: the installer ships it as /etc/parley/parley.toml. */
  static String documentedConfig() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    int section = readme.indexOf("## Configuration");
    int start = readme.indexOf("```toml\n", section) + "```toml\n".length();
    return readme.substring(start, readme.indexOf("```", start));
  }

  @Test
  void theDocumentedConfigHasEveryKeyAndOnlyKnownOnes() throws Exception {
    Path file = Files.createTempFile("parley", ".toml");
    Files.writeString(file, documentedConfig());
    ServerConfig checked = ConfigLoader.check(file, Map.of()).config();
    assertThat(checked).isEqualTo(ConfigLoader.load(Optional.empty(), Map.of())); // the defaults, written out

    Set<String> documented = new TreeSet<>();
    String section = "";
    for (String line : documentedConfig().lines().toList()) {
      String code = line.replaceAll("#.*", "").strip();
      if (code.startsWith("[")) {
        section = code.substring(1, code.indexOf(']'));
      } else if (code.contains("=")) {
        documented.add(section + "." + code.substring(0, code.indexOf('=')).strip());
      }
    }
    assertThat(documented).as("keys in README.md's config block").containsExactlyInAnyOrderElementsOf(
        ConfigLoader.knownKeys());
  }

  @Test
  void aMisspeltKeyOrABadValueIsNamed() throws Exception {
    Path typo = Files.createTempFile("parley", ".toml");
    Files.writeString(typo, """
        [server]
        prot = 9000
        [mesages]
        queue-ttl = "7d"
        """);
    assertThatThrownBy(() -> ConfigLoader.check(typo, Map.of()))
        .hasMessageContaining("unknown key(s) mesages.queue-ttl, server.prot");
    Path bad = Files.createTempFile("parley", ".toml");
    Files.writeString(bad, """
        [messages]
        queue-ttl = "a week"
        """);
    assertThatThrownBy(() -> ConfigLoader.check(bad, Map.of())).hasMessageContaining("messages.queue-ttl");
  }

  @Test
  void theSettingsArePrintedWithSecretsHidden() throws Exception {
    Path file = Files.createTempFile("parley", ".toml");
    Files.writeString(file, """
        [server]
        port = 9000
        [database]
        password = "hunter2"
        """);
    List<String> lines = ConfigLoader.check(file, Map.of("PARLEY_TURN_STATIC_AUTH_SECRET", "s3cret")).lines();
    assertThat(lines).contains("server.port = 9000   (file)", "database.password = (set, not shown)   (file)",
        "admin.port = 8081   (default)", "turn.static-auth-secret = (set, not shown)   (environment PARLEY_TURN_STATIC_AUTH_SECRET)",
        "database.url = (not set)");
    assertThat(String.join("\n", lines)).doesNotContain("hunter2").doesNotContain("s3cret");
  }
}
