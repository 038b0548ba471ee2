package org.parley.desktop.ui;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.parley.desktop.AppContext;
import org.parley.desktop.LaunchOptions;
import org.parley.desktop.view.AppWindow;
import org.parley.desktop.vm.MainViewModel;
import org.parley.testing.ParleyServerExtension;
import org.testfx.api.FxToolkit;

/**
 * The real desktop app as the UI tests drive it: an account registered on the test server in a fresh data
 * directory, then the app's context over that directory and its window on TestFX's primary stage (Monocle). Between
 * the two steps a test may prepare the directory or have others write to the account. One per test class.
 */
final class AppUnderTest {

  final String number;
  final Path dir;
  private final URI server;
  private AppContext context;
  private AppWindow window;

  private AppUnderTest(String number, Path dir, URI server) {
    this.number = number;
    this.dir = dir;
    this.server = server;
  }

  /** Registers {@code number} in a fresh data directory; the app is not open yet. */
  static AppUnderTest register(ParleyServerExtension parley, String number) throws Exception {
    Path dir = Files.createTempDirectory("parley-desktop-ui");
    parley.register(number, dir).client().close();
    return new AppUnderTest(number, dir, parley.url());
  }

  /** Opens the app on the account, with {@code env} as its environment (PARLEY_AUDIO and the like). */
  AppUnderTest open(Map<String, String> env) throws Exception {
    return open(new LaunchOptions(dir, server, Optional.empty()), env);
  }

  /** Opens the app with other launch options (maps off, …) over {@link #dir}. */
  AppUnderTest open(LaunchOptions options, Map<String, String> env) throws Exception {
    context = AppContext.create(options, Platform::runLater, env);
    Stage stage = FxToolkit.registerPrimaryStage();
    FxToolkit.setupFixture(() -> window = AppWindow.open(stage, context));
    return this;
  }

  /** The main screen, once the window shows it. */
  MainViewModel main() throws Exception {
    return window.mainShown().get(30, TimeUnit.SECONDS);
  }

  AppWindow window() {
    return window;
  }

  AppContext context() {
    return context;
  }

  /** Hides the window and closes the context (the account's store and connection). */
  void close() throws Exception {
    if (window != null) {
      FxToolkit.setupFixture(() -> window.stage().hide());
    }
    if (context != null) {
      context.close();
    }
  }
}
