package org.parley.desktop.ui;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Labeled;
import javafx.scene.control.TextInputControl;
import org.testfx.api.FxRobot;
import org.testfx.util.WaitForAsyncUtils;

/** What the TestFX suites share: reading a node on the FX thread, and waiting for the UI to get somewhere. */
final class Ui {
  private Ui() {}

  /** The text of the label, button or text field {@code query} finds. */
  static String text(FxRobot robot, String query) {
    Node node = robot.lookup(query).query();
    return fx(() -> node instanceof Labeled l ? l.getText() : node instanceof TextInputControl t ? t.getText() : "");
  }

  /** Runs {@code call} on the FX thread and returns its result. */
  static <T> T fx(Callable<T> call) {
    try {
      return WaitForAsyncUtils.asyncFx(call).get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits until {@code condition} holds; a node not on screen yet (a lookup that throws) counts as "not yet". */
  static void waitFor(Callable<Boolean> condition) throws Exception {
    WaitForAsyncUtils.waitFor(20, TimeUnit.SECONDS, () -> {
      try {
        return condition.call();
      } catch (RuntimeException notYet) {
        return false;
      }
    });
    WaitForAsyncUtils.waitForFxEvents();
  }
}
