package org.parley.desktop.view;

import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.VBox;
import org.parley.desktop.vm.MessageCards;

/** Puts a message's location or payment card into its bubble (the message's text then stays hidden). */
final class CardNodes {

  private CardNodes() {}

  /** Shows the card of message {@code messageId}, if it has one, in {@code holder}; hides {@code text} then. */
  static void show(VBox holder, Label text, MessageCards cards, long messageId, TileImages tiles) {
    Node node = cards.payment(messageId).<Node>map(PaymentCard::new)
        .or(() -> cards.place(messageId).map(place -> new LocationCard(place, tiles))).orElse(null);
    if (node != null) {
      holder.getChildren().setAll(node);
      Bind.show(text, false);
    }
    Bind.show(holder, node != null);
  }

  /** Empties {@code holder}, stops its card following its ViewModel, and shows {@code text} again. */
  static void clear(VBox holder, Label text) {
    Bind.show(text, true);
    for (Node node : holder.getChildren()) {
      if (node instanceof PaymentCard payment) {
        payment.dispose();
      }
    }
    holder.getChildren().clear();
    Bind.show(holder, false);
  }

  static void copy(String text) {
    ClipboardContent content = new ClipboardContent();
    content.putString(text);
    Clipboard.getSystemClipboard().setContent(content);
  }
}
