package org.parley.desktop;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import javafx.application.Platform;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.parley.desktop.view.AppWindow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the app: starts JavaFX, opens the window, and owns the way out. JavaFX is started with
 * {@link Platform#startup} rather than an {@code Application} subclass, which JavaFX would instantiate itself and
 * which could only receive the context through a static field. Every exit — the last window closed, Quit, a tool
 * finishing, SIGTERM or Ctrl+C — stops JavaFX on its own thread first; then {@link #run} closes the context (the
 * client and its database) and returns the exit status.
 */
public final class DesktopApp {

  private static final Logger log = LoggerFactory.getLogger(DesktopApp.class);

  /** How long an exit may take before the process is stopped anyway (a hung close must not ignore SIGTERM). */
  static final long EXIT_DEADLINE_MILLIS = 20_000;

  /** Something run beside the window once it shows: the demo module's screenshot tour and start-up probe. */
  @FunctionalInterface
  public interface WindowTool {
    WindowTool NONE = (window, context, app) -> { };

    /** Called on the FX thread once the window is open; {@code app.exit} ends the run. */
    void opened(AppWindow window, AppContext context, DesktopApp app);
  }

  private final AppContext context;
  private final WindowTool tool;
  private final CompletableFuture<Thread> fxThread = new CompletableFuture<>();
  private boolean fxStarted;
  private Integer exitStatus;

  private DesktopApp(AppContext context, WindowTool tool) {
    this.context = context;
    this.tool = tool;
  }

  /**
   * Runs the app until it ends and returns the process's exit status: 0, 128 + the signal's number after SIGTERM
   * (143) or SIGINT (130), what a tool asked for, or 1 when the data directory cannot be used. The context (with
   * the client and {@code setup}) is closed when this returns.
   */
  public static int run(LaunchOptions options, AccountSetup setup, WindowTool tool) {
    AppContext context;
    try {
      context = AppContext.create(options, setup, Platform::runLater, System.getenv());
    } catch (IOException e) {
      System.err.println("parley-desktop: cannot use the data directory: " + e.getMessage());
      setup.close();
      return 1;
    }
    return new DesktopApp(context, tool).run();
  }

  private int run() {
    TerminationSignals.handle(this::exit);
    // The database opens (and the demo starts its server) while JavaFX starts.
    context.prepareAsync();
    try {
      Platform.startup(this::openWindow);
    } catch (RuntimeException e) {
      // No display, or no GTK: say so, and still close what the start-up thread may have opened.
      System.err.println("parley-desktop: JavaFX could not start: " + e.getMessage());
      context.close();
      return 1;
    }
    synchronized (this) {
      fxStarted = true;
      if (exitStatus != null) {
        stopFx();
      }
    }
    try {
      // The FX thread ends when JavaFX exits: the last window closed, or exit() was called.
      fxThread.join().join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    context.close();
    synchronized (this) {
      return exitStatus == null ? 0 : exitStatus;
    }
  }

  private void openWindow() {
    fxThread.complete(Thread.currentThread());
    StartupMarks.mark("fx-started");
    try {
      AppWindow window = AppWindow.open(new Stage(), context);
      tool.opened(window, context, this);
    } catch (RuntimeException e) {
      log.error("Parley could not open its window", e);
      exit(1);
    }
  }

  /**
   * Ends the run with {@code status} (the first status asked for wins): closes the windows and stops JavaFX on its
   * thread, after which {@link #run} closes the client. Any thread; a second call changes nothing.
   */
  public void exit(int status) {
    synchronized (this) {
      if (exitStatus != null) {
        return;
      }
      exitStatus = status;
      if (fxStarted) {
        stopFx();
      }
    }
    Thread deadline = new Thread(() -> {
      try {
        Thread.sleep(EXIT_DEADLINE_MILLIS);
      } catch (InterruptedException e) {
        return;
      }
      System.err.println("parley-desktop: did not shut down within " + EXIT_DEADLINE_MILLIS / 1000
          + " s; stopping now");
      Runtime.getRuntime().halt(status);
    }, "parley-exit-deadline");
    deadline.setDaemon(true);
    deadline.start();
  }

  private static void stopFx() {
    Platform.runLater(() -> {
      // Hide every window first (the app is gone from the screen at once), then end the FX thread.
      for (Window window : Window.getWindows().toArray(Window[]::new)) {
        window.hide();
      }
      Platform.exit();
    });
  }
}
