package org.parley.desktop.view;

import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.KeyValue;
import javafx.animation.Timeline;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Circle;
import javafx.util.Duration;
import org.parley.desktop.vm.CallViewModel;

/** Someone calls: who (name and number), a pulsing ring, Accept and Decline. */
final class IncomingCallWindow extends VBox {

  private final Timeline pulse;

  IncomingCallWindow(CallViewModel vm) {
    super(14);
    getStyleClass().add("call-window");
    setAlignment(Pos.TOP_CENTER);
    setPrefWidth(340);

    CallPeer peer = new CallPeer(vm, "incomingCaller", "incomingNumber");
    Avatar avatar = peer.avatar;
    Circle ring = new Circle(52);
    ring.getStyleClass().add("call-ring");
    StackPane picture = new StackPane(ring, avatar);
    picture.setMinSize(120, 120);
    Label name = peer.name;
    name.setWrapText(true);
    Label number = peer.number;
    Label status = new Label("Incoming call…");
    status.setId("incomingStatus");
    vm.video.observe(video -> status.setText(video ? "Video call…" : "Incoming call…"));
    status.getStyleClass().add("call-status");
    Label note = CallPeer.notice("incomingAudioNote", "warning-text", vm.audioNote);

    Button decline = new Button("Decline");
    decline.setId("incomingDecline");
    decline.getStyleClass().addAll("call-button", "call-decline");
    decline.setOnAction(e -> vm.decline());
    Button accept = new Button("Accept");
    accept.setId("incomingAccept");
    accept.getStyleClass().addAll("call-button", "call-accept");
    accept.setDefaultButton(true);
    accept.setOnAction(e -> vm.accept());
    HBox buttons = new HBox(28, decline, accept);
    buttons.setAlignment(Pos.CENTER);
    VBox.setMargin(buttons, new Insets(10, 0, 0, 0));
    getChildren().addAll(picture, name, number, status, note, buttons);

    pulse = new Timeline(
        new KeyFrame(Duration.ZERO, new KeyValue(ring.scaleXProperty(), 0.85), new KeyValue(ring.scaleYProperty(),
            0.85), new KeyValue(ring.opacityProperty(), 0.9)),
        new KeyFrame(Duration.millis(1100), new KeyValue(ring.scaleXProperty(), 1.15),
            new KeyValue(ring.scaleYProperty(), 1.15), new KeyValue(ring.opacityProperty(), 0.0)));
    pulse.setCycleCount(Animation.INDEFINITE);
    vm.phase.observe(p -> {
      if (p == CallViewModel.Phase.INCOMING) {
        pulse.playFromStart();
      } else {
        pulse.stop();
      }
    });
  }
}
