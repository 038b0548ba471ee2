package org.parley.desktop.view;

import java.util.List;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.geometry.Rectangle2D;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.StageStyle;
import org.parley.desktop.vm.CallViewModel;

/**
 * Shows the incoming-call window while a call rings here and the call window while we call, talk, and for a moment
 * after the call ended. Both are small windows of their own (owned by the main window) and follow its theme.
 */
final class CallWindows {

  private final Stage owner;
  private final CallViewModel vm;
  private final Ringer ringer;
  /** Made at the first call, not at start-up. */
  private Stage incomingStage;
  private Stage callStage;

  private CallWindows(Stage owner, CallViewModel vm, Ringer ringer) {
    this.owner = owner;
    this.vm = vm;
    this.ringer = ringer;
    vm.phase.observe(this::show);
    // A note or an error appearing makes the content taller: grow the window once it is laid out.
    vm.audioNote.observe(n -> Platform.runLater(this::fit));
    vm.error.observe(n -> Platform.runLater(this::fit));
    vm.videoNote.observe(n -> Platform.runLater(this::fit));
    vm.video.observe(n -> Platform.runLater(this::fit));
  }

  private void build() {
    if (incomingStage != null) {
      return;
    }
    incomingStage = new Stage(StageStyle.DECORATED);
    callStage = new Stage(StageStyle.DECORATED);
    setUp(incomingStage, new IncomingCallWindow(vm), "Incoming call");
    setUp(callStage, new CallWindow(vm), "Call");
    incomingStage.setOnCloseRequest(e -> vm.decline());
    callStage.setOnCloseRequest(e -> {
      if (vm.busy()) {
        vm.hangUp();
      }
    });
  }

  private void fit() {
    if (incomingStage == null) {
      return;
    }
    for (Stage stage : List.of(incomingStage, callStage)) {
      if (stage.isShowing() && !stage.isFullScreen()) {
        stage.sizeToScene();
        keepOnScreen(stage);
      }
    }
  }

  static CallWindows attach(Stage owner, CallViewModel vm, Ringer ringer) {
    return new CallWindows(owner, vm, ringer);
  }

  private void setUp(Stage stage, Parent content, String title) {
    stage.initOwner(owner);
    stage.setTitle(title);
    Scene scene = new Scene(content);
    Scene main = owner.getScene();
    scene.getStylesheets().setAll(main.getStylesheets());
    main.getStylesheets().addListener((ListChangeListener<String>) c ->
        scene.getStylesheets().setAll(main.getStylesheets()));
    content.getStyleClass().add("app");
    stage.setScene(scene);
    stage.setResizable(false);
  }

  private void show(CallViewModel.Phase phase) {
    if (phase == CallViewModel.Phase.IDLE && incomingStage == null) {
      return;
    }
    build();
    boolean ringing = phase == CallViewModel.Phase.INCOMING;
    boolean inCall = !ringing && phase != CallViewModel.Phase.IDLE;
    if (ringing) {
      ringer.start();
    } else {
      ringer.stop();
    }
    place(incomingStage, ringing);
    place(callStage, inCall);
  }

  private void place(Stage stage, boolean visible) {
    if (visible && !stage.isShowing()) {
      stage.sizeToScene();
      stage.show();
      // Centre on the main window.
      stage.setX(owner.getX() + (owner.getWidth() - stage.getWidth()) / 2);
      stage.setY(owner.getY() + (owner.getHeight() - stage.getHeight()) / 3);
      keepOnScreen(stage);
      stage.toFront();
    } else if (visible) {
      stage.sizeToScene(); // a note or an error may have appeared
      keepOnScreen(stage);
    } else if (stage.isShowing()) {
      stage.hide();
    }
  }

  /**
   * Moves a window that grew (an audio call turned video, a note appeared) back up onto its screen, so its buttons
   * stay reachable.
   */
  private static void keepOnScreen(Stage stage) {
    List<Screen> screens = Screen.getScreensForRectangle(stage.getX(), stage.getY(), stage.getWidth(),
        stage.getHeight());
    Rectangle2D area = (screens.isEmpty() ? Screen.getPrimary() : screens.get(0)).getVisualBounds();
    if (stage.getY() + stage.getHeight() > area.getMaxY()) {
      stage.setY(Math.max(area.getMinY(), area.getMaxY() - stage.getHeight()));
    }
    if (stage.getX() + stage.getWidth() > area.getMaxX()) {
      stage.setX(Math.max(area.getMinX(), area.getMaxX() - stage.getWidth()));
    }
  }

  Scene incomingScene() {
    return incomingStage == null ? null : incomingStage.getScene();
  }

  Scene callScene() {
    return callStage == null ? null : callStage.getScene();
  }
}
