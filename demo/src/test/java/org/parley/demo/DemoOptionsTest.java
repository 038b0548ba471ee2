package org.parley.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.parley.desktop.LaunchOptions;
import org.parley.desktop.settings.Theme;

class DemoOptionsTest {

  private static DemoOptions parse(String... args) throws LaunchOptions.UsageException {
    return DemoOptions.parse(args, Map.of("HOME", "/home/pat"));
  }

  @Test
  void withoutDemoOptionsItIsThePlainApp() throws Exception {
    DemoOptions o = parse("--server", "https://chat.example.org", "--theme", "dark");
    assertThat(o.demo()).isFalse();
    assertThat(o.freshDataDir()).isFalse();
    assertThat(o.screenshots()).isEmpty();
    assertThat(o.measureStartup()).isFalse();
    assertThat(o.app().dataDir()).isEqualTo(Path.of("/home/pat/.local/share/parley-desktop"));
    assertThat(o.app().server()).isEqualTo(URI.create("https://chat.example.org"));
    assertThat(o.app().theme()).contains(Theme.DARK);
  }

  @Test
  void demoUsesAFreshDirectoryUnlessOneIsGiven() throws Exception {
    assertThat(parse("--demo").demo()).isTrue();
    assertThat(parse("--demo").freshDataDir()).isTrue();
    DemoOptions given = parse("--demo", "--data-dir", "/tmp/x");
    assertThat(given.freshDataDir()).isFalse();
    assertThat(given.app().dataDir()).isEqualTo(Path.of("/tmp/x"));
  }

  @Test
  void theToolsOptions() throws Exception {
    DemoOptions tour = parse("--demo", "--onboarding", "--theme", "light", "--screenshots", "shots");
    assertThat(tour.onboarding()).isTrue();
    assertThat(tour.screenshots()).contains(Path.of("shots"));
    assertThat(tour.app().theme()).contains(Theme.LIGHT);
    DemoOptions probe = parse("--data-dir", "/bench/me", "--measure-startup");
    assertThat(probe.measureStartup()).isTrue();
    assertThat(probe.demo()).isFalse();
    assertThat(probe.app().dataDir()).isEqualTo(Path.of("/bench/me"));
  }

  @Test
  void badCommandLinesSayWhatIsWrong() {
    assertThatThrownBy(() -> parse("--onboarding")).hasMessageContaining("only goes with --demo");
    assertThatThrownBy(() -> parse("--screenshots", "x")).hasMessageContaining("needs --demo");
    assertThatThrownBy(() -> parse("--demo", "--screenshots")).hasMessage("--screenshots needs a value");
    assertThatThrownBy(() -> parse("--demo", "--colour")).hasMessage("Unknown option '--colour'");
    assertThatThrownBy(() -> parse("--demo", "--theme", "pink")).hasMessageContaining("light or dark");
  }

  @Test
  void theUsageListsTheDemoAndEveryOptionOfTheApp() {
    assertThat(DemoOptions.USAGE).contains("--demo", "--onboarding", "--data-dir", "--server", "--theme",
        "--screenshots", "--measure-startup");
  }
}
