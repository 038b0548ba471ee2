package org.parley.desktop.ui;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import javafx.scene.Node;
import javafx.scene.control.Labeled;
import javafx.scene.control.TextInputControl;
import javafx.scene.input.KeyCode;
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

  /** Starts a chat with {@code number} the keyboard way (Ctrl+N, the number, Start) and waits for its header. */
  static void startChat(FxRobot robot, String number) throws Exception {
    robot.press(KeyCode.CONTROL, KeyCode.N).release(KeyCode.N, KeyCode.CONTROL);
    waitFor(() -> robot.lookup("#newChatNumber").tryQuery().isPresent());
    robot.clickOn("#newChatNumber").write(number.substring(2));
    robot.clickOn("#newChatStart");
    waitFor(() -> text(robot, "#conversationTitle").equals(number));
  }

  /** Whether {@code query} finds a node that is visible in a window that is showing. */
  static boolean visible(FxRobot robot, String query) {
    return fx(() -> robot.lookup(query).tryQuery().map(n -> n.isVisible() && n.getScene() != null
        && n.getScene().getWindow() != null && n.getScene().getWindow().isShowing()).orElse(false));
  }
}
