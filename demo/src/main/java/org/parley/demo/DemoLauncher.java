package org.parley.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.parley.demo.tools.ScreenshotTour;
import org.parley.demo.tools.StartupProbe;
import org.parley.desktop.AccountSetup;
import org.parley.desktop.DesktopApp;
import org.parley.desktop.LaunchOptions;
import org.parley.desktop.Launcher;

/**
 * The main class of {@code bin/parley-desktop --demo} (and of the screenshot tour and the start-up probe): the
 * desktop app, run with the demo's {@link DemoSetup} instead of the onboarding against a real server. Like the app's
 * own launcher it does not extend {@code Application}.
 */
public final class DemoLauncher {

  private DemoLauncher() {}

  public static void main(String[] args) {
    Launcher.useDesktopLogging();
    List<String> arguments = Arrays.asList(args);
    if (arguments.contains("--help") || arguments.contains("-h")) {
      System.out.print(DemoOptions.USAGE);
      return;
    }
    Launcher.exitIfLibsignalCannotLoad();
    DemoOptions options;
    try {
      options = DemoOptions.parse(args, System.getenv());
    } catch (LaunchOptions.UsageException e) {
      System.err.println("parley-desktop: " + e.getMessage());
      System.err.print(DemoOptions.USAGE);
      System.exit(2);
      return;
    }
    LaunchOptions app = options.app();
    AccountSetup setup = AccountSetup.onboarding(app.server());
    DemoSetup demo = null;
    if (options.demo()) {
      try {
        if (options.freshDataDir()) {
          Path root = Files.createTempDirectory("parley-demo");
          app = new LaunchOptions(root.resolve("me"), app.server(), app.theme(), Optional.empty(), app.mapTiles());
          demo = new DemoSetup(root.resolve("demo"), options.onboarding(), Optional.of(root));
        } else {
          demo = new DemoSetup(app.dataDir().resolve("demo"), options.onboarding(), Optional.empty());
        }
      } catch (IOException e) {
        System.err.println("parley-desktop: cannot make a temporary directory for the demo: " + e.getMessage());
        System.exit(1);
        return;
      }
      setup = demo;
    }
    DesktopApp.WindowTool tool = DesktopApp.WindowTool.NONE;
    if (options.screenshots().isPresent()) {
      tool = ScreenshotTour.tool(demo, options.screenshots().get());
    } else if (options.measureStartup()) {
      tool = StartupProbe::run;
    }
    Launcher.exit(DesktopApp.run(app, setup, tool));
  }
}
