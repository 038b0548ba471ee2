package org.parley.desktop.view;

import java.util.List;
import java.util.Locale;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.parley.desktop.vm.CallViewModel;

/**
 * A call we place or are in: "Calling…/Ringing…" while it rings on their side, then the timer, connection quality
 * (good/fair/poor; the numbers on hover), mute and hang up; then how it ended, for a moment. A video call adds the
 * peer's video large with our preview small in its corner, the video's numbers and full screen. Camera on/off,
 * switch camera (with more than one) and share screen are there in audio calls too: they make it a video call.
 */
final class CallWindow extends VBox {

  /** The peer's video and our preview; package-private for the UI tests. */
  final VideoView remoteVideo = new VideoView();
  final VideoView preview = new VideoView();

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
    Button camera = new Button("Camera off");
    camera.setId("callCamera");
    camera.getStyleClass().addAll("call-button", "call-camera");
    camera.setOnAction(e -> vm.toggleCamera());
    Runnable cameraText = () -> camera.setText(vm.cameraOn() ? "Camera off" : "Camera on");
    vm.localVideo.observe(on -> cameraText.run());
    vm.sharingScreen.observe(on -> cameraText.run());
    Button switchCamera = new Button("Switch camera");
    switchCamera.setId("callSwitchCamera");
    switchCamera.getStyleClass().addAll("call-button", "call-switch-camera");
    switchCamera.setOnAction(e -> vm.switchCamera());
    Button share = new Button("Share screen");
    share.setId("callShareScreen");
    share.getStyleClass().addAll("call-button", "call-share-screen");
    share.setOnAction(e -> vm.toggleScreenShare());
    vm.sharingScreen.observe(on -> share.setText(on ? "Stop sharing" : "Share screen"));
    Button fullScreen = new Button("Full screen");
    fullScreen.setId("callFullScreen");
    fullScreen.getStyleClass().addAll("call-button", "call-full-screen");
    fullScreen.setOnAction(e -> {
      Stage stage = (Stage) getScene().getWindow();
      stage.setFullScreen(!stage.isFullScreen());
    });
    sceneProperty().addListener((o, was, scene) -> {
      if (scene != null) {
        scene.windowProperty().addListener((o2, w, window) -> {
          if (window instanceof Stage stage) {
            stage.fullScreenProperty().addListener((o3, f, full) -> fullScreen.setText(full ? "Leave full screen"
                : "Full screen"));
          }
        });
      }
    });
    Label videoQuality = new Label();
    videoQuality.setId("callVideoQuality");
    videoQuality.getStyleClass().add("call-video-quality");
    Bind.textAndShow(videoQuality, vm.videoQuality);
    Label videoNote = CallPeer.notice("callVideoNote", "warning-text", vm.videoNote);

    StackPane videoPane = videoPane(vm);
    // A row that wraps rather than cutting labels short ("Camer…"): six buttons in a video call, four in an audio one.
    FlowPane buttons = new FlowPane(10, 10, camera, switchCamera, share, mute, fullScreen, hangUp);
    buttons.setAlignment(Pos.CENTER);
    for (Button b : List.of(camera, switchCamera, share, mute, fullScreen, hangUp)) {
      b.setMinWidth(Region.USE_PREF_SIZE);
    }
    VBox.setMargin(buttons, new Insets(10, 0, 0, 0));

    vm.phase.observe(p -> {
      boolean talking = p == CallViewModel.Phase.CONNECTED || p == CallViewModel.Phase.RECONNECTING;
      boolean ended = p == CallViewModel.Phase.ENDED;
      // Hidden, not removed: the window keeps its size from ringing to talking.
      timer.setVisible(talking);
      quality.setVisible(talking);
      mute.setVisible(!ended && p != CallViewModel.Phase.OUTGOING);
      camera.setDisable(!talking);
      share.setDisable(!talking);
      switchCamera.setDisable(!talking);
      // The camera and sharing work in audio calls too (the call becomes a video call): shown once it is answered.
      Bind.show(camera, !ended && p != CallViewModel.Phase.INCOMING);
      Bind.show(share, !ended && p != CallViewModel.Phase.INCOMING);
      if (p == CallViewModel.Phase.IDLE) {
        remoteVideo.setImage(null);
        preview.setImage(null);
      }
      hangUp.setDisable(ended);
      hangUp.setText(p == CallViewModel.Phase.OUTGOING ? "Cancel" : "Hang up");
      status.getStyleClass().remove("call-status-ended");
      if (ended) {
        status.getStyleClass().add("call-status-ended");
      }
    });
    vm.video.observe(video -> {
      Bind.show(videoPane, video);
      Bind.show(fullScreen, video);
      Bind.show(avatar, !video);
      setPrefWidth(video ? 608 : 540);
      for (Label notice : List.of(note, videoNote, error)) {
        notice.setMaxWidth(video ? 560 : 492); // as wide as the video: the window is taller than the screen else
        notice.setMinHeight(Region.USE_PREF_SIZE); // wrapped, never cut to one line by the taller window
      }
      setSpacing(video ? 8 : 12);
    });
    // Switching matters while a camera is what we send.
    Runnable switchShown = () -> Bind.show(switchCamera, vm.canSwitchCamera.get() && vm.cameraOn());
    vm.canSwitchCamera.observe(more -> switchShown.run());
    vm.localVideo.observe(on -> switchShown.run());
    vm.sharingScreen.observe(on -> switchShown.run());
    VBox.setVgrow(videoPane, Priority.ALWAYS);
    getChildren().addAll(avatar, videoPane, name, number, status, timer, quality, videoQuality, note, videoNote,
        error, buttons);
  }

  /** The peer's video filling the pane (black bars keep its shape), our preview small at the bottom right. */
  private StackPane videoPane(CallViewModel vm) {
    StackPane pane = new StackPane();
    pane.setId("callVideo");
    pane.getStyleClass().add("call-video");
    // 4:3 at a size that leaves room for the controls on a 1280×800 screen.
    pane.setPrefSize(560, 420);
    pane.setMinSize(320, 240);
    remoteVideo.setId("callRemoteVideo");
    remoteVideo.fitWidthProperty().bind(pane.widthProperty());
    remoteVideo.fitHeightProperty().bind(pane.heightProperty());
    Label noVideo = new Label("No video from them");
    noVideo.getStyleClass().add("call-no-video");
    preview.setId("callPreview");
    preview.setFitWidth(168);
    // A framed thumbnail, so our picture stands apart from theirs.
    StackPane previewFrame = new StackPane(preview);
    previewFrame.getStyleClass().add("call-preview");
    previewFrame.setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
    StackPane.setAlignment(previewFrame, Pos.BOTTOM_RIGHT);
    StackPane.setMargin(previewFrame, new Insets(10));
    vm.remoteVideo.observe(on -> {
      remoteVideo.setVisible(on);
      noVideo.setVisible(!on);
    });
    vm.localVideo.observe(on -> {
      preview.setVisible(on);
      previewFrame.setVisible(on);
    });
    // Clipped, so a frame never draws over the controls while the window is resized.
    Rectangle clip = new Rectangle();
    clip.widthProperty().bind(pane.widthProperty());
    clip.heightProperty().bind(pane.heightProperty());
    pane.setClip(clip);
    pane.getChildren().addAll(noVideo, remoteVideo, previewFrame);
    vm.drawVideoInto(remoteVideo.picture, preview.picture);
    return pane;
  }
}
