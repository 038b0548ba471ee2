package org.parley.desktop.view;

import java.util.Locale;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.util.Duration;
import org.parley.desktop.vm.CallViewModel;

/**
 * A call we place or are in: "Calling…/Ringing…" while it rings on their side, then the timer, connection quality
 * (good/fair/poor; the numbers on hover), mute and hang up; then how it ended, for a moment.
 */
final class CallWindow extends VBox {

  CallWindow(CallViewModel vm) {
    super(12);
    getStyleClass().add("call-window");
    setAlignment(Pos.TOP_CENTER);
    setPrefWidth(340);

    CallPeer peer = new CallPeer(vm, "callPeer", "callNumber");
    Avatar avatar = peer.avatar;
    Label name = peer.name;
    Label number = peer.number;
    Label status = new Label();
    status.setId("callStatus");
    status.getStyleClass().add("call-status");
    Bind.text(status, vm.status);
    Label timer = new Label();
    timer.setId("callTimer");
    timer.getStyleClass().add("call-timer");
    Bind.text(timer, vm.elapsed);

    Label quality = new Label();
    quality.setId("callQuality");
    Tooltip numbers = new Tooltip();
    numbers.setShowDelay(Duration.millis(200));
    numbers.setShowDuration(Duration.seconds(30));
    quality.setTooltip(numbers);
    vm.quality.observe(q -> {
      quality.setText("\u25CF Connection: " + q.label);
      quality.getStyleClass().setAll("label", "call-quality", "quality-" + q.name().toLowerCase(Locale.ROOT));
    });
    vm.qualityDetails.observe(d -> numbers.setText(d.isBlank() ? "No statistics yet" : d));

    Label note = CallPeer.notice("callAudioNote", "warning-text", vm.audioNote);
    Label error = CallPeer.notice("callError", "error-text", vm.error);

    Button mute = new Button("Mute");
    mute.setId("callMute");
    mute.getStyleClass().addAll("call-button", "call-mute");
    mute.setOnAction(e -> vm.toggleMute());
    vm.muted.observe(m -> {
      mute.setText(m ? "Unmute" : "Mute");
      mute.getStyleClass().remove("call-muted");
      if (m) {
        mute.getStyleClass().add("call-muted");
      }
    });
    Button hangUp = new Button("Hang up");
    hangUp.setId("callHangUp");
    hangUp.getStyleClass().addAll("call-button", "call-decline");
    hangUp.setOnAction(e -> vm.hangUp());
    HBox buttons = new HBox(28, mute, hangUp);
    buttons.setAlignment(Pos.CENTER);
    VBox.setMargin(buttons, new Insets(10, 0, 0, 0));

    vm.phase.observe(p -> {
      boolean talking = p == CallViewModel.Phase.CONNECTED || p == CallViewModel.Phase.RECONNECTING;
      boolean ended = p == CallViewModel.Phase.ENDED;
      // Hidden, not removed: the window keeps its size from ringing to talking.
      timer.setVisible(talking);
      quality.setVisible(talking);
      mute.setVisible(!ended && p != CallViewModel.Phase.OUTGOING);
      hangUp.setDisable(ended);
      hangUp.setText(p == CallViewModel.Phase.OUTGOING ? "Cancel" : "Hang up");
      status.getStyleClass().remove("call-status-ended");
      if (ended) {
        status.getStyleClass().add("call-status-ended");
      }
    });
    getChildren().addAll(avatar, name, number, status, timer, quality, note, error, buttons);
  }
}
