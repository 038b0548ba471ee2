package org.parley.desktop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.parley.desktop.maps.TileServer;
import org.parley.desktop.settings.Theme;

class LaunchOptionsTest {

  private static LaunchOptions parse(String... args) throws LaunchOptions.UsageException {
    return LaunchOptions.parse(args, Map.of("HOME", "/home/pat"));
  }

  @Test
  void defaults() throws Exception {
    LaunchOptions o = parse();
    assertThat(o.dataDir()).isEqualTo(Path.of("/home/pat/.local/share/parley-desktop"));
    assertThat(o.server()).isEqualTo(LaunchOptions.DEFAULT_SERVER);
    assertThat(o.theme()).isEmpty();
    assertThat(o.mapTiles()).isEmpty();
  }

  @Test
  void everyOption() throws Exception {
    LaunchOptions o = parse("--server", "https://chat.example.org", "--theme", "DARK", "--data-dir", "d");
    assertThat(o.server()).isEqualTo(URI.create("https://chat.example.org"));
    assertThat(o.theme()).contains(Theme.DARK);
    assertThat(o.dataDir()).isEqualTo(Path.of("d"));
    assertThat(LaunchOptions.parse(new String[0], Map.of("PARLEY_DESKTOP_DIR", "/srv/p")).dataDir())
        .isEqualTo(Path.of("/srv/p"));
  }

  @Test
  void badCommandLinesSayWhatIsWrong() {
    assertThatThrownBy(() -> parse("--colour")).hasMessage("Unknown option '--colour'");
    assertThatThrownBy(() -> parse("--server")).hasMessage("--server needs a value");
    assertThatThrownBy(() -> parse("--server", "ftp://x")).hasMessageContaining("http:// or https://");
    assertThatThrownBy(() -> parse("--server", "not a url")).hasMessageContaining("http:// or https://");
    assertThatThrownBy(() -> parse("--theme", "pink")).hasMessageContaining("light or dark");
    assertThatThrownBy(() -> parse("--map-tiles", "https://t.example.org/tile.png"))
        .hasMessageContaining("--map-tiles: A tile server URL needs {z}, {x} and {y}");
    assertThatThrownBy(() -> parse("--map-tiles")).hasMessage("--map-tiles needs a value");
  }

  /** The URL handler of the installed app passes the clicked link as an argument. */
  @Test
  void aParleyLinkOpensTheApp() throws Exception {
    LaunchOptions options = parse("parley://link?uuid=abc&pub_key=xyz");
    assertThat(options.opened()).contains(URI.create("parley://link?uuid=abc&pub_key=xyz"));
    assertThat(parse().opened()).isEmpty();
    assertThatThrownBy(() -> parse("parley://link?uuid=a b")).hasMessageContaining("not a parley: link");
  }

  @Test
  void theDemoAndTheToolsAreNotOptionsOfTheInstalledApp() {
    for (String option : new String[] {"--demo", "--onboarding", "--screenshots", "--measure-startup"}) {
      assertThatThrownBy(() -> parse(option)).hasMessageContaining(option + " belongs to the demo launcher")
          .hasMessageContaining("bin/parley-desktop " + option);
    }
  }

  @Test
  void mapTilesAreAUrlTemplateOrNone() throws Exception {
    assertThat(parse("--map-tiles", "none").mapTiles()).contains(TileServer.NONE);
    assertThat(parse("--map-tiles", "http://127.0.0.1:8099/{z}/{x}/{y}.png").mapTiles().orElseThrow().template())
        .contains("http://127.0.0.1:8099/{z}/{x}/{y}.png");
  }
}
