package org.parley.desktop.view;

import javafx.geometry.Pos;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.parley.desktop.vm.ChatSummary;

/** A chat list row: avatar, name and time, preview and unread badge. */
final class ChatCell extends ListCell<ChatSummary> {

  private final Avatar avatar = new Avatar(44);
  private final Label name = new Label();
  private final Label time = new Label();
  private final Label preview = new Label();
  private final Label badge = new Label();
  private final Label warning = new Label("\u26A0");
  private final HBox root;

  private final PictureCache pictures;

  /** @param pictures decodes groups' pictures for their avatars */
  ChatCell(PictureCache pictures) {
    this.pictures = pictures;
    getStyleClass().add("chat-cell");
    name.getStyleClass().add("chat-name");
    time.getStyleClass().add("chat-time");
    preview.getStyleClass().add("chat-preview");
    badge.getStyleClass().add("unread-badge");
    warning.getStyleClass().add("chat-warning");
    name.setMinWidth(0);
    preview.setMinWidth(0);
    Region spacer = new Region();
    HBox.setHgrow(spacer, Priority.ALWAYS);
    HBox top = new HBox(6, name, warning, spacer, time);
    top.setAlignment(Pos.BASELINE_LEFT);
    Region spacer2 = new Region();
    HBox.setHgrow(spacer2, Priority.ALWAYS);
    HBox bottom = new HBox(6, preview, spacer2, badge);
    bottom.setAlignment(Pos.CENTER_LEFT);
    VBox text = new VBox(3, top, bottom);
    text.setMinWidth(0);
    HBox.setHgrow(text, Priority.ALWAYS);
    root = new HBox(12, avatar, text);
    root.setAlignment(Pos.CENTER_LEFT);
    setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
    // The row is as wide as the list, never as wide as its longest preview (which would push time and badge out).
    root.setMinWidth(0);
    root.prefWidthProperty().bind(widthProperty().subtract(28));
    root.maxWidthProperty().bind(widthProperty().subtract(28));
    time.setMinWidth(Region.USE_PREF_SIZE);
    badge.setMinWidth(Region.USE_PREF_SIZE);
  }

  @Override
  protected void updateItem(ChatSummary chat, boolean empty) {
    super.updateItem(chat, empty);
    if (empty || chat == null) {
      setGraphic(null);
      setAccessibleText(null);
      return;
    }
    avatar.set(chat.initials(), chat.number());
    chat.picture().ifPresent(id -> {
      int side = avatar.pictureSide();
      pictures.picture(id, side, side, image -> {
        if (getItem() != null && getItem().picture().equals(chat.picture())) {
          avatar.showPicture(image);
        }
      }).ifPresent(avatar::showPicture);
    });
    name.setText(chat.name());
    time.setText(chat.time());
    preview.setText(chat.preview().isEmpty() ? "No messages yet" : chat.preview());
    badge.setText(chat.unread() > 99 ? "99+" : Integer.toString(chat.unread()));
    badge.setVisible(chat.unread() > 0);
    badge.setManaged(chat.unread() > 0);
    warning.setVisible(chat.identityChanged());
    warning.setManaged(chat.identityChanged());
    time.getStyleClass().remove("chat-time-unread");
    if (chat.unread() > 0) {
      time.getStyleClass().add("chat-time-unread");
    }
    setAccessibleText(chat.name() + ", " + chat.unread() + " unread, " + chat.preview());
    setGraphic(root);
  }
}
