package org.parley.desktop.view;

import java.util.List;
import java.util.function.Consumer;
import javafx.scene.control.Button;
import javafx.scene.layout.FlowPane;

/**
 * A row of symbols above the composer. They are Unicode symbols that common desktop fonts (DejaVu, Segoe, SF)
 * draw, so they look right without a colour emoji font.
 */
final class EmojiPicker extends FlowPane {

  static final List<String> SYMBOLS = List.of("\u263A", "\u2639", "\u2665", "\u2605", "\u2600", "\u2601",
      "\u2602", "\u2615", "\u270C", "\u261D", "\u270D", "\u2708", "\u260E", "\u2709", "\u266A", "\u266B", "\u2618",
      "\u2691", "\u2714", "\u2718", "\u26A1", "\u2603", "\u2660", "\u2663", "\u2666", "\u263C", "\u263E", "\u2744");

  EmojiPicker(Consumer<String> pick) {
    super(4, 4);
    getStyleClass().add("emoji-picker");
    setId("emojiPicker");
    for (String s : SYMBOLS) {
      Button b = new Button(s);
      b.getStyleClass().add("emoji-button");
      b.setFocusTraversable(false);
      b.setOnAction(e -> pick.accept(s));
      getChildren().add(b);
    }
  }
}
