package org.parley.desktop;

import javafx.application.Application;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.parley.desktop.view.AppWindow;
import org.parley.desktop.view.ScreenshotTour;
import org.parley.desktop.view.StartupProbe;

/** The JavaFX application: builds the context from the launch options and opens the window. */
public final class DesktopApp extends Application {

  private static volatile LaunchOptions pending;
  private AppContext context;

  static void launchWith(LaunchOptions options) {
    pending = options;
    Application.launch(DesktopApp.class);
  }

  @Override
  public void start(Stage stage) throws Exception {
    context = AppContext.create(pending, Platform::runLater, System.getenv());
    AppWindow window = AppWindow.open(stage, context);
    pending.screenshots().ifPresent(dir -> ScreenshotTour.run(window, context, dir));
    if (pending.measureStartup()) {
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
