package org.parley.desktop.view;

import java.util.Optional;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressBar;
import javafx.scene.control.Tooltip;
import javafx.scene.effect.GaussianBlur;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.Rectangle;
import org.parley.desktop.vm.AttachmentItem;
import org.parley.desktop.vm.Attachments;

/**
 * The node for one attachment in a bubble: a picture or video tile (the blurred thumbnail at once, the picture once
 * it is here) or a file card, with the transfer's progress and its actions.
 */
final class AttachmentNode {

  private AttachmentNode() {}

  static Node of(AttachmentItem item, AttachmentActions actions) {
    Node node = item.isVoice() && item.voice().isPresent() ? VoiceBubble.of(item, actions)
        : item.isMedia() ? tile(item, actions) : card(item, actions);
    node.setUserData(item.id());
    return node;
  }

  private static Node tile(AttachmentItem item, AttachmentActions actions) {
    int w = item.width();
    int h = item.height();
    StackPane tile = new StackPane();
    tile.getStyleClass().addAll("attachment-tile", item.kind() == AttachmentItem.Kind.VIDEO ? "video-tile"
        : "picture-tile");
    tile.setMinSize(w, h);
    tile.setPrefSize(w, h);
    tile.setMaxSize(w, h);
    Rectangle clip = new Rectangle(w, h);
    clip.setArcWidth(16);
    clip.setArcHeight(16);
    tile.setClip(clip);

    ImageView thumb = new ImageView();
    thumb.getStyleClass().add("attachment-thumbnail");
    thumb.setFitWidth(w);
    thumb.setFitHeight(h);
    // The thumbnail is a few dozen pixels wide: blurred, it reads as a preview rather than as a bad picture.
    thumb.setEffect(new GaussianBlur(item.kind() == AttachmentItem.Kind.VIDEO ? 4 : 14));
    actions.pictures.thumbnail(item.id(), item.thumbnail()).ifPresent(thumb::setImage);
    tile.getChildren().add(thumb);

    if (item.kind() == AttachmentItem.Kind.PICTURE && item.isLocal()) {
      ImageView full = new ImageView();
      full.getStyleClass().add("attachment-picture");
      full.setFitWidth(w);
      full.setFitHeight(h);
      Optional<Image> now = actions.pictures.picture(item.id(), w, h, image -> {
        full.setImage(image);
        thumb.setVisible(false);
      });
      now.ifPresent(image -> {
        full.setImage(image);
        thumb.setVisible(false);
      });
      tile.getChildren().add(full);
    }
    if (item.kind() == AttachmentItem.Kind.VIDEO && !item.state().inProgress()) {
      Label play = new Label("\u25B6");
      play.getStyleClass().add("video-play");
      tile.getChildren().add(play);
    }
    Node overlay = transferOverlay(item, actions, true);
    if (overlay != null) {
      StackPane.setAlignment(overlay, Pos.BOTTOM_CENTER);
      tile.getChildren().add(overlay);
    }
    tile.setOnMouseClicked(e -> {
      if (e.getTarget() instanceof Button || isInsideButton(e.getTarget())) {
        return;
      }
      actions.show(item);
    });
    String what = item.kind() == AttachmentItem.Kind.VIDEO ? "Video" : "Picture";
    tile.setAccessibleText(what + " " + item.fileName() + ", " + item.sizeText()
        + (item.status().isEmpty() ? "" : ", " + item.status()));
    Tooltip.install(tile, new Tooltip(item.fileName() + " · " + item.sizeText()));
    return tile;
  }

  private static boolean isInsideButton(Object target) {
    Node n = target instanceof Node node ? node : null;
    while (n != null) {
      if (n instanceof Button) {
        return true;
      }
      n = n.getParent();
    }
    return false;
  }

  private static Node card(AttachmentItem item, AttachmentActions actions) {
    Label icon = new Label(Attachments.icon(item.contentType(), item.fileName()));
    icon.getStyleClass().add("file-icon");
    icon.setMinSize(44, 44);
    icon.setAlignment(Pos.CENTER);
    Label name = new Label(item.fileName());
    name.getStyleClass().add("file-name");
    name.setMinWidth(0);
    Label size = new Label(item.sizeText() + (item.status().isEmpty() ? "" : " · " + item.status()));
    size.getStyleClass().add("file-size");
    size.setWrapText(true);
    VBox text = new VBox(2, name, size);
    text.setMinWidth(0);
    HBox.setHgrow(text, Priority.ALWAYS);
    HBox card = new HBox(10, icon, text);
    card.setAlignment(Pos.CENTER_LEFT);
    card.getStyleClass().add("file-card");
    card.setMaxWidth(Attachments.MAX_TILE_WIDTH + 60);
    card.setPrefWidth(Attachments.MAX_TILE_WIDTH);
    if (item.isLocal() && !item.state().inProgress()) {
      Button open = new Button("Open");
      open.getStyleClass().addAll("flat-button", "file-open");
      open.setOnAction(e -> actions.open(item));
      Button save = new Button("Save as…");
      save.getStyleClass().addAll("flat-button", "file-save");
      save.setOnAction(e -> actions.saveAs(item));
      open.setMinWidth(Region.USE_PREF_SIZE);
      save.setMinWidth(Region.USE_PREF_SIZE);
      // Under the name, so a long file name keeps the card's width.
      HBox buttons = new HBox(4, open, save);
      buttons.getStyleClass().add("file-actions");
      text.getChildren().add(buttons);
    }
    card.setAccessibleText("File " + item.fileName() + ", " + item.sizeText()
        + (item.status().isEmpty() ? "" : ", " + item.status()));
    Node overlay = transferOverlay(item, actions, false);
    if (overlay == null) {
      return card;
    }
    VBox box = new VBox(6, card, overlay);
    box.getStyleClass().add("file-card-box");
    return box;
  }

  /** Progress with cancel, Download, Retry or "no longer available"; null when there is nothing to say. */
  static Node transferOverlay(AttachmentItem item, AttachmentActions actions, boolean onTile) {
    HBox bar = new HBox(6);
    bar.setAlignment(Pos.CENTER_LEFT);
    bar.getStyleClass().addAll("transfer-bar", onTile ? "transfer-on-tile" : "transfer-in-card");
    if (item.canCancel()) {
      ProgressBar progress = new ProgressBar(item.progress());
      progress.getStyleClass().add("transfer-progress");
      progress.setMaxWidth(Double.MAX_VALUE);
      HBox.setHgrow(progress, Priority.ALWAYS);
      Button cancel = new Button("\u2715");
      cancel.getStyleClass().addAll("icon-button", "transfer-cancel");
      cancel.setTooltip(new Tooltip("Stop"));
      cancel.setOnAction(e -> actions.media.cancelTransfer(item.id()));
      bar.getChildren().addAll(progress, cancel);
    } else if (item.canDownload()) {
      Button download = new Button("\u2B07 Download · " + item.sizeText());
      download.getStyleClass().addAll("flat-button", "transfer-download");
      download.setOnAction(e -> actions.media.download(item.id()));
      bar.getChildren().add(download);
    } else if (item.canRetry()) {
      Label why = new Label(item.status());
      why.getStyleClass().add("transfer-error");
      why.setMinWidth(0);
      HBox.setHgrow(why, Priority.ALWAYS);
      Button retry = new Button("\u21BB Retry");
      retry.getStyleClass().addAll("flat-button", "transfer-retry");
      retry.setMinWidth(Region.USE_PREF_SIZE);
      retry.setOnAction(e -> actions.media.retryTransfer(item.id()));
      bar.getChildren().addAll(why, retry);
    } else if (item.expired()) {
      Label gone = new Label("No longer available");
      gone.getStyleClass().add("transfer-expired");
      bar.getChildren().add(gone);
    } else {
      return null;
    }
    if (onTile) {
      bar.setMaxWidth(item.width() - 12);
      bar.setMaxHeight(Region.USE_PREF_SIZE);
    }
    return bar;
  }
}
