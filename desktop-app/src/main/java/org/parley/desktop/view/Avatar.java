package org.parley.desktop.view;

import javafx.scene.control.Label;
import javafx.scene.layout.StackPane;
import javafx.scene.shape.Circle;

/** A round avatar with initials; its colour comes from the contact's number so it stays the same. */
final class Avatar extends StackPane {

  static final int COLOURS = 8;

  private final Circle circle;
  private final Label label = new Label();

  Avatar(double size) {
    circle = new Circle(size / 2);
    getStyleClass().add("avatar");
    circle.getStyleClass().add("avatar-circle");
    label.getStyleClass().add("avatar-text");
    label.setStyle("-fx-font-size: " + Math.round(size * 0.4) + "px;");
    getChildren().addAll(circle, label);
    setMinSize(size, size);
    setMaxSize(size, size);
  }

  void set(String initials, String key) {
    label.setText(initials);
    for (int i = 0; i < COLOURS; i++) {
      circle.getStyleClass().remove("avatar-" + i);
    }
    circle.getStyleClass().add("avatar-" + Math.floorMod(key.hashCode(), COLOURS));
  }
}
