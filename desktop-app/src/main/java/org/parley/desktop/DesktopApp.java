package org.parley.desktop;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.parley.desktop.view.AppWindow;
import org.parley.desktop.view.ScreenshotTour;
import org.parley.desktop.view.StartupProbe;

/** The JavaFX application: builds the context from the launch options and opens the window. */
public final class DesktopApp extends Application {

  private static volatile AppContext pending;
  private AppContext context;

  /**
   * Opens the local database (and the demo server) on a background thread while JavaFX starts, then launches.
   */
  static void launchWith(LaunchOptions options) throws java.io.IOException {
    pending = AppContext.create(options, Platform::runLater, System.getenv());
    pending.prepareAsync();
    Application.launch(DesktopApp.class);
  }

  @Override
  public void start(Stage stage) throws Exception {
    StartupMarks.mark("fx-started");
    context = pending;
    AppWindow window = AppWindow.open(stage, context);
    context.options().screenshots().ifPresent(dir -> ScreenshotTour.run(window, context, dir));
    if (context.options().measureStartup()) {
      StartupProbe.run(window, context);
    }
  }

  @Override
  public void stop() {
    if (context != null) {
      context.close();
    }
    // Some client and server threads are not daemons; the window is closed, so the process ends here.
    System.exit(0);
  }
}
