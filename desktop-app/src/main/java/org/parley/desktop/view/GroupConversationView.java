package org.parley.desktop.view;

import java.io.File;
import java.util.List;
import java.util.Optional;
import javafx.application.Platform;
import javafx.collections.ListChangeListener;
import javafx.geometry.Orientation;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollBar;
import javafx.scene.control.TextArea;
import javafx.scene.control.Tooltip;
import javafx.scene.control.skin.VirtualFlow;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.parley.desktop.vm.ConversationRow;
import org.parley.desktop.vm.Format;
import org.parley.desktop.vm.GroupConversationViewModel;
import org.parley.desktop.vm.MainViewModel;

/**
 * An open group: its name and members (or who is typing) in the header with "Group info", the messages with their
 * senders' names, system lines, and a text composer — replaced by a note once we are no longer a member.
 */
final class GroupConversationView extends BorderPane {

  private final GroupConversationViewModel vm;
  private final Bind.Subscriptions subs = new Bind.Subscriptions();
  private final ListView<ConversationRow> list = new ListView<>();
  private final TextArea composer = new TextArea();
  private final AttachmentActions attachments;
  private final Avatar avatar = new Avatar(40);
  private boolean stickToBottom = true;

  GroupConversationView(GroupConversationViewModel vm, MainViewModel main, FileDialogs dialogs, TileImages tiles) {
    this.vm = vm;
    this.attachments = new AttachmentActions(vm.media, dialogs, this);
    getStyleClass().addAll("conversation", "group-conversation");

    avatar.setId("groupAvatar");
    Label name = new Label();
    name.setId("conversationTitle");
    name.getStyleClass().add("conversation-title");
    Label subtitle = new Label();
    subtitle.setId("conversationSubtitle");
    subtitle.getStyleClass().add("conversation-subtitle");
    subs.add(vm.title.observe(t -> {
      name.setText(t);
      showAvatar();
    }));
    subs.add(vm.picture.observe(p -> showAvatar()));
    subs.add(vm.subtitle.observe(s -> {
      subtitle.setText(s);
      subtitle.getStyleClass().remove("typing");
      if (vm.isTyping()) {
        subtitle.getStyleClass().add("typing");
      }
    }));
    VBox titles = new VBox(1, name, subtitle);
    titles.setAlignment(Pos.CENTER_LEFT);
    titles.setMinWidth(0);
    HBox.setHgrow(titles, Priority.ALWAYS);
    titles.setOnMouseClicked(e -> main.showPanel(MainViewModel.Panel.GROUP_INFO));
    Button info = new Button("Group info");
    info.setId("groupInfoButton");
    info.getStyleClass().add("flat-button");
    info.setMinWidth(Region.USE_PREF_SIZE);
    info.setOnAction(e -> main.showPanel(MainViewModel.Panel.GROUP_INFO));
    HBox header = new HBox(12, avatar, titles, info);
    header.setAlignment(Pos.CENTER_LEFT);
    header.getStyleClass().add("conversation-header");

    Label error = new Label();
    error.setId("groupError");
    error.getStyleClass().add("error-text");
    error.setWrapText(true);
    subs.add(Bind.textAndShow(error, vm.error));
    setTop(new VBox(header, error));

    list.setId("messageList");
    list.getStyleClass().add("message-list");
    list.setCellFactory(l -> MessageCell.forGroup(vm::retry, main::showMessageInfo, attachments, tiles));
    list.setFocusTraversable(false);
    list.setPlaceholder(new Label("No messages yet. Say hello to the group!"));
    subs.add(Bind.rows(list.getItems(), vm.rows));
    list.getItems().addListener((ListChangeListener<ConversationRow>) c -> {
      int prepended = 0;
      while (c.next()) {
        if (c.wasAdded() && !c.wasReplaced() && c.getFrom() == 0 && c.getList().size() > c.getAddedSize()) {
          prepended += c.getAddedSize();
        }
      }
      if (prepended > 0) {
        list.scrollTo(prepended);
      } else if (stickToBottom && !list.getItems().isEmpty()) {
        scrollToBottom();
      }
    });
    subs.add(vm.scrollTo.observe(i -> {
      if (i != null && i >= 0) {
        // A search hit: show it with a little context above, selected.
        stickToBottom = false;
        Platform.runLater(() -> {
          list.scrollTo(Math.max(0, i - 2));
          list.getSelectionModel().select(i.intValue());
        });
      }
    }));
    list.addEventFilter(ScrollEvent.SCROLL, e -> {
      if (e.getDeltaY() > 0) {
        stickToBottom = false;
        if (atTop()) {
          vm.loadOlder();
        }
      } else if (atBottom()) {
        stickToBottom = true;
      }
    });
    AttachmentSheet sheet = new AttachmentSheet(vm.draft, subs);
    StackPane.setAlignment(sheet, Pos.BOTTOM_CENTER);
    Label dropHint = FileInput.dropTarget(this, vm.draft);
    setCenter(new StackPane(list, dropHint, sheet));

    composer.setId("composer");
    composer.setPromptText("Write to the group");
    composer.setWrapText(true);
    composer.setPrefRowCount(2);
    composer.getStyleClass().add("composer");
    HBox.setHgrow(composer, Priority.ALWAYS);
    composer.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
      if (e.getCode() == KeyCode.ENTER) {
        e.consume();
        if (e.isShiftDown()) {
          composer.insertText(composer.getCaretPosition(), "\n");
        } else {
          send();
        }
      }
    });
    composer.textProperty().addListener((obs, old, text) -> vm.composerChanged(text));
    EmojiPicker emoji = new EmojiPicker(s -> {
      composer.insertText(composer.getCaretPosition(), s);
      composer.requestFocus();
    });
    Bind.show(emoji, false);
    Button emojiButton = new Button("\u263A");
    emojiButton.setId("emojiButton");
    emojiButton.getStyleClass().add("icon-button");
    emojiButton.setTooltip(new Tooltip("Symbols"));
    emojiButton.setMinWidth(Region.USE_PREF_SIZE);
    emojiButton.setOnAction(e -> Bind.show(emoji, !emoji.isVisible()));
    Button sendButton = new Button("Send");
    sendButton.setId("sendButton");
    sendButton.getStyleClass().add("send-button");
    sendButton.setMinWidth(Region.USE_PREF_SIZE);
    sendButton.setOnAction(e -> send());
    Button attach = FileInput.paperclip(vm.draft, dialogs, this);
    HBox composerRow = new HBox(8, attach, emojiButton, composer, sendButton);
    composerRow.setAlignment(Pos.BOTTOM_CENTER);
    Label notMember = new Label("You can no longer send messages to this group: you are no longer a member.");
    notMember.setId("groupNotMember");
    notMember.getStyleClass().add("hint-text");
    notMember.setWrapText(true);
    // Who is typing shows in the header, in place of the members.
    VBox bottom = new VBox(6, emoji, composerRow, notMember);
    bottom.getStyleClass().add("composer-bar");
    subs.add(vm.member.observe(member -> {
      Bind.show(composerRow, member);
      Bind.show(notMember, !member);
      if (!member) {
        Bind.show(emoji, false);
      }
    }));
    setBottom(bottom);
  }

  /** The group's initials, or its picture once it is on this device (decoded like the bubbles' pictures). */
  private void showAvatar() {
    avatar.set(Format.initials(vm.title.get()), vm.groupId.value());
    vm.picture.get().ifPresent(id -> {
      int side = avatar.pictureSide();
      attachments.pictures.picture(id, side, side, image -> {
        if (vm.picture.get().equals(Optional.of(id))) {
          avatar.showPicture(image);
        }
      }).ifPresent(avatar::showPicture);
    });
  }

  /** What a drop of files does: they go to the preview sheet. */
  void dropFiles(List<File> files) {
    FileInput.dropFiles(vm.draft, files);
  }

  AttachmentActions attachments() {
    return attachments;
  }

  private void send() {
    String text = composer.getText();
    if (text == null || text.isBlank()) {
      return;
    }
    stickToBottom = true;
    vm.send(text);
    composer.clear();
  }

  /** Shows the end of the last row, once layout has given the new rows their height. */
  private void scrollToBottom() {
    list.scrollTo(list.getItems().size() - 1);
    Platform.runLater(() -> {
      if (!stickToBottom || list.getItems().isEmpty()) {
        return;
      }
      list.layout();
      if (list.lookup(".virtual-flow") instanceof VirtualFlow<?> flow) {
        flow.scrollTo(list.getItems().size() - 1);
        flow.scrollPixels(Math.max(1000, list.getHeight() * 4));
      }
    });
  }

  private ScrollBar verticalBar() {
    for (var node : list.lookupAll(".scroll-bar")) {
      if (node instanceof ScrollBar bar && bar.getOrientation() == Orientation.VERTICAL) {
        return bar;
      }
    }
    return null;
  }

  private boolean atTop() {
    ScrollBar bar = verticalBar();
    return bar == null || !bar.isVisible() || bar.getValue() <= bar.getMin() + 0.001;
  }

  private boolean atBottom() {
    ScrollBar bar = verticalBar();
    return bar == null || !bar.isVisible() || bar.getValue() >= bar.getMax() - 0.01;
  }

  void focusComposer() {
    composer.requestFocus();
  }

  void dispose() {
    subs.clear();
  }
}
