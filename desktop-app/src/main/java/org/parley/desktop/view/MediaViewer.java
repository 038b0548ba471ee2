package org.parley.desktop.view;

import java.util.List;
import javafx.geometry.Pos;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.ToggleButton;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.media.Media;
import javafx.scene.media.MediaException;
import javafx.scene.media.MediaPlayer;
import javafx.scene.media.MediaView;
import javafx.stage.Screen;
import javafx.stage.Stage;
import org.parley.desktop.vm.AttachmentItem;

/**
 * The picture and video viewer: a window of its own with the picture fitted (or zoomed with the wheel, +, − and
 * "1:1"), previous and next through the conversation's pictures and videos (buttons, ← and →), Save as, and videos
 * played in a MediaView from a decrypted copy in the app's private directory.
 */
final class MediaViewer {

  private final AttachmentActions actions;
  private final Stage stage = new Stage();
  private final ImageView picture = new ImageView();
  private final ScrollPane scroller = new ScrollPane();
  private final StackPane content = new StackPane();
  private final Label title = new Label();
  private final Label note = new Label();
  private final ToggleButton fit = new ToggleButton("Fit");
  private final Button previous = new Button("\u25C0");
  private final Button next = new Button("\u25B6");
  private MediaPlayer player;
  private AttachmentItem current;
  private Image image;
  private double zoom = 1;

  MediaViewer(AttachmentActions actions) {
    this.actions = actions;
    if (actions.owner() != null) {
      stage.initOwner(actions.owner());
    }
    title.setId("viewerTitle");
    title.getStyleClass().add("viewer-title");
    note.getStyleClass().add("viewer-note");
    note.setWrapText(true);
    previous.setId("viewerPrevious");
    next.setId("viewerNext");
    fit.setId("viewerFit");
    fit.setSelected(true);
    fit.setOnAction(e -> layoutPicture());
    Button actual = new Button("1:1");
    actual.setOnAction(e -> zoomTo(1));
    Button save = new Button("Save as…");
    save.setId("viewerSave");
    save.setOnAction(e -> {
      if (current != null) {
        actions.saveAs(current);
      }
    });
    previous.setOnAction(e -> step(-1));
    next.setOnAction(e -> step(1));
    for (Button b : List.of(previous, next, actual, save)) {
      b.getStyleClass().add("flat-button");
    }
    fit.getStyleClass().add("flat-button");
    Region grow = new Region();
    HBox.setHgrow(grow, Priority.ALWAYS);
    HBox bar = new HBox(8, previous, next, title, grow, fit, actual, save);
    bar.setAlignment(Pos.CENTER_LEFT);
    bar.getStyleClass().add("viewer-bar");

    picture.setPreserveRatio(true);
    picture.setSmooth(true);
    scroller.setContent(new StackPane(picture));
    scroller.setPannable(true);
    // The picture stays centred while smaller than the window; larger (zoomed), it scrolls.
    scroller.setFitToWidth(true);
    scroller.setFitToHeight(true);
    scroller.getStyleClass().add("viewer-scroller");
    scroller.viewportBoundsProperty().addListener((obs, old, bounds) -> layoutPicture());
    scroller.addEventFilter(ScrollEvent.SCROLL, e -> {
      if (image != null && e.getDeltaY() != 0) {
        e.consume();
        zoomTo(currentScale() * (e.getDeltaY() > 0 ? 1.15 : 1 / 1.15));
      }
    });
    content.getStyleClass().add("viewer-content");
    BorderPane root = new BorderPane(content);
    root.setTop(bar);
    root.setBottom(note);
    root.getStyleClass().addAll("viewer");
    Scene scene = new Scene(root, 900, 680);
    if (actions.owner() != null && actions.owner().getScene() != null) {
      scene.getStylesheets().setAll(actions.owner().getScene().getStylesheets());
      root.getStyleClass().addAll(actions.owner().getScene().getRoot().getStyleClass());
    }
    scene.setOnKeyPressed(e -> {
      switch (e.getCode()) {
        case LEFT -> step(-1);
        case RIGHT -> step(1);
        case ESCAPE -> close();
        case PLUS, ADD, EQUALS -> zoomTo(currentScale() * 1.25);
        case MINUS, SUBTRACT -> zoomTo(currentScale() / 1.25);
        default -> {
          return;
        }
      }
      e.consume();
    });
    stage.setScene(scene);
    stage.setOnHidden(e -> stopPlayer());
  }

  void show(AttachmentItem item) {
    current = item;
    stopPlayer();
    image = null;
    picture.setImage(null);
    note.setText("");
    title.setText(item.fileName() + " · " + item.sizeText());
    stage.setTitle(item.fileName());
    List<AttachmentItem> media = actions.media.viewable();
    int index = indexOf(media, item.id());
    previous.setDisable(index <= 0);
    next.setDisable(index < 0 || index >= media.size() - 1);
    if (item.kind() == AttachmentItem.Kind.VIDEO) {
      playVideo(item);
    } else {
      content.getChildren().setAll(scroller);
      // Decoded to the screen's size at most: enough for "fit" on any monitor and for zooming a little.
      Rectangle2D screen = Screen.getPrimary().getVisualBounds();
      int maxW = (int) Math.max(1024, screen.getWidth() * 1.5);
      int maxH = (int) Math.max(768, screen.getHeight() * 1.5);
      long id = item.id();
      actions.media.picture(id, maxW, maxH, pixels -> {
        if (current != null && current.id() == id) {
          image = PictureCache.toImage(pixels);
          picture.setImage(image);
          fit.setSelected(true);
          layoutPicture();
        }
      }, error -> note.setText(error));
    }
    stage.show();
    stage.toFront();
  }

  private void playVideo(AttachmentItem item) {
    Label loading = new Label("Opening the video…");
    content.getChildren().setAll(loading);
    long id = item.id();
    actions.media.localCopy(id, path -> {
      if (current == null || current.id() != id || !stage.isShowing()) {
        return;
      }
      try {
        MediaPlayer p = new MediaPlayer(new Media(path.toUri().toString()));
        p.setOnError(() -> note.setText("This video cannot be played here: " + p.getError().getMessage()
            + " — use Open in the conversation."));
        MediaView view = new MediaView(p);
        view.setPreserveRatio(true);
        view.fitWidthProperty().bind(content.widthProperty());
        view.fitHeightProperty().bind(content.heightProperty().subtract(48));
        Button playPause = new Button("\u23EF Play / pause");
        playPause.getStyleClass().add("flat-button");
        playPause.setOnAction(e -> {
          if (p.getStatus() == MediaPlayer.Status.PLAYING) {
            p.pause();
          } else {
            p.play();
          }
        });
        StackPane.setAlignment(playPause, Pos.BOTTOM_CENTER);
        content.getChildren().setAll(view, playPause);
        player = p;
        p.setAutoPlay(true);
      } catch (MediaException | UnsupportedOperationException e) {
        content.getChildren().setAll(new Label("This video cannot be played here (" + e.getMessage()
            + "). Use Open in the conversation to play it in another application."));
      }
    });
  }

  private static int indexOf(List<AttachmentItem> media, long id) {
    for (int i = 0; i < media.size(); i++) {
      if (media.get(i).id() == id) {
        return i;
      }
    }
    return -1;
  }

  private void step(int direction) {
    if (current == null) {
      return;
    }
    List<AttachmentItem> media = actions.media.viewable();
    int index = indexOf(media, current.id());
    int to = index + direction;
    if (index >= 0 && to >= 0 && to < media.size()) {
      AttachmentItem target = media.get(to);
      if (target.isLocal()) {
        show(target);
      } else {
        actions.show(target);
        note.setText(target.canDownload() ? "Downloading " + target.fileName() + "…" : target.status());
      }
    }
  }

  private double currentScale() {
    return image == null || image.getWidth() == 0 ? 1 : picture.getFitWidth() / image.getWidth();
  }

  private void zoomTo(double scale) {
    if (image == null) {
      return;
    }
    fit.setSelected(false);
    zoom = Math.max(0.05, Math.min(8, scale));
    picture.setFitWidth(image.getWidth() * zoom);
    picture.setFitHeight(image.getHeight() * zoom);
  }

  private void layoutPicture() {
    if (image == null) {
      return;
    }
    if (fit.isSelected()) {
      double w = Math.max(1, scroller.getViewportBounds().getWidth() - 4);
      double h = Math.max(1, scroller.getViewportBounds().getHeight() - 4);
      zoom = Math.min(1, Math.min(w / image.getWidth(), h / image.getHeight()));
      picture.setFitWidth(image.getWidth() * zoom);
      picture.setFitHeight(image.getHeight() * zoom);
    }
  }

  Stage stage() {
    return stage;
  }

  AttachmentItem current() {
    return current;
  }

  private void stopPlayer() {
    if (player != null) {
      player.dispose();
      player = null;
    }
  }

  void close() {
    stopPlayer();
    stage.hide();
  }
}
