package org.parley.desktop.view;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.shape.SVGPath;
import org.parley.desktop.vm.VoiceRecorderViewModel;
import org.parley.desktop.vm.VoiceRecorderViewModel.State;

/**
 * The composer's microphone button and the strip shown while recording: a red dot, the timer, a level meter, what
 * to do next, Cancel and Send. Hold the button to record and release to send; click it to record hands-free; drag
 * off the button before releasing, Cancel or Escape to throw the recording away.
 */
final class VoiceComposer {

  private final VoiceRecorderViewModel vm;
  private final Button mic = new Button();
  private final HBox strip;
  private final Label notice = new Label();
  private final Label hint = new Label();

  /** Escape reaches the recorder through the window's shortcuts ({@code MainViewModel.escape}). */
  VoiceComposer(VoiceRecorderViewModel vm, Bind.Subscriptions subs) {
    this.vm = vm;
    SVGPath icon = new SVGPath();
    icon.setContent("M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3z M5.5 11a6.5 6.5 0 0 0 13 0 M12 17.5V21");
    icon.getStyleClass().add("mic-icon");
    mic.setGraphic(icon);
    mic.setId("micButton");
    mic.getStyleClass().addAll("icon-button", "mic-button");
    mic.setTooltip(new Tooltip("Hold to record a voice note, release to send; click to record hands-free"));
    mic.setMinWidth(Region.USE_PREF_SIZE);
    mic.addEventHandler(MouseEvent.MOUSE_PRESSED, e -> {
      if (e.getButton() == MouseButton.PRIMARY) {
        vm.press();
      }
    });
    mic.addEventHandler(MouseEvent.MOUSE_DRAGGED, e -> {
      if (vm.state.get() == State.HOLDING) {
        hint.setText(over(e) ? "Release to send · drag away to cancel" : "Release to cancel");
      }
    });
    mic.addEventHandler(MouseEvent.MOUSE_RELEASED, e -> {
      if (e.getButton() != MouseButton.PRIMARY || vm.state.get() != State.HOLDING) {
        return;
      }
      if (over(e)) {
        vm.release();
      } else {
        vm.cancel();
      }
    });
    // From the keyboard the button is a click: hands-free recording, Send or Cancel in the strip.
    mic.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
      if ((e.getCode() == KeyCode.SPACE || e.getCode() == KeyCode.ENTER) && vm.state.get() == State.IDLE) {
        vm.press();
        vm.release();
        e.consume();
      }
    });

    Label dot = new Label("\u25CF");
    dot.getStyleClass().add("recording-dot");
    Label timer = new Label();
    timer.setId("recordingTimer");
    timer.getStyleClass().add("recording-timer");
    timer.setMinWidth(Region.USE_PREF_SIZE);
    Region meterFill = new Region();
    meterFill.getStyleClass().add("level-meter-fill");
    meterFill.setMaxWidth(Region.USE_PREF_SIZE);
    StackPane meter = new StackPane(meterFill);
    meter.setId("levelMeter");
    meter.getStyleClass().add("level-meter");
    StackPane.setAlignment(meterFill, Pos.CENTER_LEFT);
    meter.setPrefSize(140, 8);
    meter.setMaxHeight(8);
    meter.setMinWidth(60);
    hint.getStyleClass().add("recording-hint");
    hint.setMinWidth(0);
    Region grow = new Region();
    HBox.setHgrow(grow, Priority.ALWAYS);
    Button cancel = new Button("Cancel");
    cancel.setId("recordingCancel");
    cancel.getStyleClass().add("flat-button");
    cancel.setOnAction(e -> vm.cancel());
    Button send = new Button("Send");
    send.setId("recordingSend");
    send.getStyleClass().add("send-button");
    send.setOnAction(e -> vm.send());
    cancel.setMinWidth(Region.USE_PREF_SIZE);
    send.setMinWidth(Region.USE_PREF_SIZE);
    strip = new HBox(10, dot, timer, meter, hint, grow, cancel, send);
    strip.setId("recordingStrip");
    strip.setAlignment(Pos.CENTER_LEFT);
    strip.getStyleClass().add("recording-strip");
    notice.setId("voiceNotice");
    notice.getStyleClass().add("voice-notice");
    notice.setWrapText(true);

    subs.add(vm.elapsed.observe(timer::setText));
    subs.add(vm.level.observe(level -> meterFill.setPrefWidth(Math.max(2, level * meter.getPrefWidth()))));
    subs.add(vm.state.observe(state -> {
      boolean on = state != State.IDLE;
      Bind.show(strip, on);
      hint.setText(switch (state) {
        case HOLDING -> "Release to send · drag away to cancel";
        case HANDS_FREE -> "Recording · Esc to cancel";
        case SENDING -> "Sending…";
        case IDLE -> "";
      });
      send.setDisable(state == State.SENDING);
      cancel.setDisable(state == State.SENDING);
      mic.getStyleClass().remove("mic-recording");
      if (on) {
        mic.getStyleClass().add("mic-recording");
      }
    }));
    subs.add(Bind.textAndShow(notice, vm.notice));
  }

  /** Whether the mouse is over the button (a release away from it cancels). */
  private boolean over(MouseEvent e) {
    return mic.contains(e.getX(), e.getY());
  }

  Button button() {
    return mic;
  }

  HBox strip() {
    return strip;
  }

  Label notice() {
    return notice;
  }
}
