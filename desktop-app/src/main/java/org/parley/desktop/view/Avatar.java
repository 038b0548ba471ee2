package org.parley.desktop.view;

import javafx.geometry.Rectangle2D;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.layout.StackPane;
import javafx.scene.shape.Circle;

/**
 * A round avatar with initials; its colour comes from the contact's number so it stays the same. A group with a
 * picture shows the picture instead, cropped to the circle.
 */
final class Avatar extends StackPane {

  static final int COLOURS = 8;

  private final Circle circle;
  private final Label label = new Label();
  private final ImageView picture = new ImageView();
  private final double size;

  Avatar(double size) {
    this.size = size;
    picture.setFitWidth(size);
    picture.setFitHeight(size);
    picture.setSmooth(true);
    picture.setClip(new Circle(size / 2, size / 2, size / 2));
    picture.setVisible(false);
    picture.getStyleClass().add("avatar-picture");
    circle = new Circle(size / 2);
    getStyleClass().add("avatar");
    circle.getStyleClass().add("avatar-circle");
    label.getStyleClass().add("avatar-text");
    label.setStyle("-fx-font-size: " + Math.round(size * 0.4) + "px;");
    getChildren().addAll(circle, label, picture);
    setMinSize(size, size);
    setMaxSize(size, size);
  }

  void set(String initials, String key) {
    label.setText(initials);
    showPicture(null);
    for (int i = 0; i < COLOURS; i++) {
      circle.getStyleClass().remove("avatar-" + i);
    }
    circle.getStyleClass().add("avatar-" + Math.floorMod(key.hashCode(), COLOURS));
  }

  /** Shows {@code image} (its centre square, scaled to the circle) over the initials; null shows the initials. */
  void showPicture(Image image) {
    picture.setImage(image);
    picture.setVisible(image != null);
    label.setVisible(image == null);
    if (image != null) {
      double side = Math.min(image.getWidth(), image.getHeight());
      picture.setViewport(new Rectangle2D((image.getWidth() - side) / 2, (image.getHeight() - side) / 2, side, side));
    }
  }

  /** The picture's pixel size to decode for this avatar (twice the size, for sharp edges on scaled screens). */
  int pictureSide() {
    return (int) Math.round(size * 2);
  }

  boolean showsPicture() {
    return picture.isVisible();
  }
}
