package org.parley.desktop.vm;

import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;

/**
 * Runs ViewModels without JavaFX: a single "ui" thread stands in for the FX thread, a single "io" thread for the
 * app's client thread. Tests read state through {@link #onUi} so they see it the way a view would.
 */
final class VmHarness implements AutoCloseable {

  static {
    // Generous for a loaded 2-core CI machine; conditions are met in well under a second normally.
    Awaitility.setDefaultTimeout(Duration.ofSeconds(30));
  }

  final ExecutorService ui = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-ui"));
  final ExecutorService io = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-io"));
  final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  final Tasks tasks = new Tasks(io, ui);
  final Clock clock = Clock.systemUTC();
  final ZoneId zone = ZoneId.of("UTC");

  <T> T onUi(Callable<T> call) {
    try {
      return ui.submit(call).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  void onUi(Runnable run) {
    onUi(() -> {
      run.run();
      return null;
    });
  }

  @Override
  public void close() {
    ui.shutdownNow();
    io.shutdownNow();
    timer.shutdownNow();
  }
}
