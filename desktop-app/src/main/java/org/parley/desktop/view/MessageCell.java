package org.parley.desktop.view;

import java.util.Locale;
import java.util.function.LongConsumer;
import javafx.geometry.Pos;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.parley.desktop.vm.AttachmentItem;
import org.parley.desktop.vm.ConversationRow;
import org.parley.desktop.vm.MessageCards;

/**
 * A conversation row: a day separator, a call entry, a group's system line, or a bubble with its sender's name (in
 * groups), pictures and files, text (or caption), time and status tick (the "!" of a failed one retries; in a group
 * the tick of a sent one opens its message info).
 */
final class MessageCell extends ListCell<ConversationRow> {

  private final Label day = new Label();
  private final HBox dayRow = new HBox(day);
  private final Label sender = new Label();
  private final Label text = new Label();
  private final Label time = new Label();
  private final Label tick = new Label();
  private final HBox meta = new HBox(4, time, tick);
  private final VBox media = new VBox(6);
  private final VBox card = new VBox();
  private final VBox bubble = new VBox(2, sender, card, media, text, meta);
  private final HBox bubbleRow = new HBox(bubble);
  private final Tooltip tickTip = new Tooltip();
  private final Label callEntry = new Label();
  private final HBox callRow = new HBox(callEntry);
  private final Label systemLine = new Label();
  private final HBox systemRow = new HBox(systemLine);
  private ConversationRow.Bubble current;
  /** Null in a group conversation: it has no location or payment cards. */
  private final MessageCards cards;
  private final AttachmentActions attachments;
  private final TileImages tiles;
  private final boolean hasInfo;

  /**
   * A cell of a group conversation: bubbles with senders and their pictures and files (as in 1:1), system lines;
   * {@code info} opens message info.
   */
  static MessageCell forGroup(LongConsumer retry, LongConsumer info, AttachmentActions attachments,
      TileImages tiles) {
    return new MessageCell(retry, info, null, attachments, tiles);
  }

  MessageCell(LongConsumer retry, MessageCards cards, AttachmentActions attachments, TileImages tiles) {
    this(retry, null, cards, attachments, tiles);
  }

  private MessageCell(LongConsumer retry, LongConsumer info, MessageCards cards, AttachmentActions attachments,
      TileImages tiles) {
    this.cards = cards;
    this.hasInfo = info != null;
    this.tiles = tiles;
    this.attachments = attachments;
    media.getStyleClass().add("bubble-media");
    getStyleClass().add("message-cell");
    day.getStyleClass().add("day-separator");
    dayRow.setAlignment(Pos.CENTER);
    callRow.setAlignment(Pos.CENTER);
    callEntry.setId("callEntry");
    systemRow.setAlignment(Pos.CENTER);
    systemLine.getStyleClass().add("system-line");
    systemLine.setWrapText(true);
    sender.getStyleClass().add("bubble-sender");
    sender.setMinWidth(0);
    text.setWrapText(true);
    text.getStyleClass().add("bubble-text");
    time.getStyleClass().add("bubble-time");
    tick.getStyleClass().add("tick");
    meta.setAlignment(Pos.CENTER_RIGHT);
    bubble.getStyleClass().add("bubble");
    bubble.setFillWidth(true);
    tick.setTooltip(tickTip);
    tick.setOnMouseClicked(e -> {
      if (current != null && current.failed()) {
        retry.accept(current.id());
      } else if (current != null && info != null && current.outgoing()) {
        info.accept(current.id());
      }
    });
    setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
    bubbleRow.setMinWidth(0);
    // As wide as the cell (inside the scroll bar), so outgoing bubbles sit at the right edge.
    bubbleRow.prefWidthProperty().bind(widthProperty().subtract(36));
    bubbleRow.maxWidthProperty().bind(widthProperty().subtract(36));
    time.setMinWidth(Region.USE_PREF_SIZE);
    tick.setMinWidth(Region.USE_PREF_SIZE);
    listViewProperty().addListener((obs, old, list) -> {
      if (list != null) {
        bubble.maxWidthProperty().bind(list.widthProperty().multiply(0.68));
      }
    });
  }

  @Override
  protected void updateItem(ConversationRow row, boolean empty) {
    super.updateItem(row, empty);
    current = null;
    CardNodes.clear(card, text);
    systemLine.getStyleClass().setAll("label", "system-line");
    if (empty || row == null) {
      setGraphic(null);
      return;
    }
    if (row instanceof ConversationRow.Day d) {
      day.setText(d.label());
      setGraphic(dayRow);
      return;
    }
    if (row instanceof ConversationRow.CallEntry c) {
      callEntry.setText("\u260E  " + c.text() + "  \u00B7  " + c.time());
      callEntry.getStyleClass().setAll("label", "call-entry", "call-entry-" + c.kind());
      setAccessibleText(c.text() + ", " + c.time());
      setGraphic(callRow);
      return;
    }
    if (row instanceof ConversationRow.SystemLine line) {
      systemLine.setText(line.text() + "  \u00B7  " + line.time());
      setAccessibleText(line.text() + ", " + line.time());
      setGraphic(systemRow);
      return;
    }
    ConversationRow.Bubble b = (ConversationRow.Bubble) row;
    current = b;
    text.setText(b.text());
    sender.setText(b.sender().map(ConversationRow.Sender::name).orElse(""));
    sender.getStyleClass().setAll("label", "bubble-sender",
        "sender-" + b.sender().map(ConversationRow.Sender::colour).orElse(0));
    Bind.show(sender, b.sender().isPresent());
    if (cards != null) {
      CardNodes.show(card, text, cards, b.id(), tiles);
    }
    if (!card.isVisible()) {
      // Attachments and their caption (a card replaces the text itself).
      boolean hasText = !b.text().isEmpty();
      text.setVisible(hasText);
      text.setManaged(hasText);
    }
    media.getChildren().clear();
    for (AttachmentItem item : b.attachments()) {
      media.getChildren().add(AttachmentNode.of(item, attachments));
    }
    media.setVisible(!b.attachments().isEmpty());
    media.setManaged(!b.attachments().isEmpty());
    time.setText(b.time());
    tick.setText(b.tick());
    tick.setVisible(b.outgoing());
    tick.setManaged(b.outgoing());
    tickTip.setText(b.statusWords());
    bubble.getStyleClass().setAll("bubble", b.outgoing() ? "bubble-out" : "bubble-in");
    tick.getStyleClass().setAll("tick", "tick-" + b.status().name().toLowerCase(Locale.ROOT));
    if (hasInfo && b.outgoing()) {
      tick.getStyleClass().add("tick-info");
    }
    bubbleRow.setAlignment(b.outgoing() ? Pos.CENTER_RIGHT : Pos.CENTER_LEFT);
    String what = b.attachments().isEmpty() ? "" : b.attachments().size() == 1 ? "1 attachment. "
        : b.attachments().size() + " attachments. ";
    String from = b.outgoing() ? "You: " : b.sender().map(s -> s.name() + ": ").orElse("");
    setAccessibleText(from + what + b.text() + ", " + b.time()
        + (b.outgoing() ? ", " + b.statusWords() : ""));
    setGraphic(bubbleRow);
  }
}
