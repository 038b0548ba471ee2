package org.parley.desktop.view;

import java.io.File;
import java.util.List;
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
import javafx.scene.image.Image;
import javafx.scene.image.PixelFormat;
import javafx.scene.input.Clipboard;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.parley.desktop.vm.ConversationRow;
import org.parley.desktop.vm.ConversationViewModel;
import org.parley.desktop.vm.Format;
import org.parley.desktop.vm.MainViewModel;
import org.parley.desktop.vm.Pixels;

/**
 * The open conversation: header with presence, banner, the message list, the composer; files come in through the
 * paperclip, a drop anywhere on the conversation or a pasted picture, and wait in the preview sheet.
 */
final class ConversationView extends BorderPane {

  private final ConversationViewModel vm;
  private final Bind.Subscriptions subs = new Bind.Subscriptions();
  private final ListView<ConversationRow> list = new ListView<>();
  private final TextArea composer = new TextArea();
  private final AttachmentActions attachments;
  private boolean stickToBottom = true;

  /** Pasted pictures larger than this a side are refused (a pasted screenshot is far smaller). */
  private static final int MAX_PASTE_SIDE = 8192;
  private static final KeyCombination PASTE = new KeyCodeCombination(KeyCode.V, KeyCombination.SHORTCUT_DOWN);

  ConversationView(ConversationViewModel vm, MainViewModel main, FileDialogs dialogs, TileImages tiles) {
    this.vm = vm;
    this.attachments = new AttachmentActions(vm.media, dialogs, this);
    getStyleClass().add("conversation");

    Avatar avatar = new Avatar(40);
    Label name = new Label();
    name.setId("conversationTitle");
    name.getStyleClass().add("conversation-title");
    Label subtitle = new Label();
    subtitle.setId("conversationSubtitle");
    subtitle.getStyleClass().add("conversation-subtitle");
    subs.add(vm.title.observe(t -> {
      name.setText(t);
      avatar.set(Format.initials(t), vm.number);
    }));
    subs.add(vm.subtitle.observe(s -> {
      subtitle.setText(s);
      subtitle.getStyleClass().remove("typing");
      if (vm.isTyping()) {
        subtitle.getStyleClass().add("typing");
      }
    }));
    VBox titles = new VBox(1, name, subtitle);
    titles.setAlignment(Pos.CENTER_LEFT);
    Region grow = new Region();
    HBox.setHgrow(grow, Priority.ALWAYS);
    Button safety = new Button("Safety number");
    safety.setId("safetyNumberButton");
    safety.getStyleClass().add("flat-button");
    safety.setOnAction(e -> main.showPanel(MainViewModel.Panel.SAFETY_NUMBER));
    Button rename = new Button("Rename");
    rename.setId("renameButton");
    rename.getStyleClass().add("flat-button");
    rename.setOnAction(e -> main.showPanel(MainViewModel.Panel.RENAME));
    Button call = new Button("\u260E Call");
    call.setId("callButton");
    call.getStyleClass().add("flat-button");
    call.setTooltip(new Tooltip("Audio call"));
    call.setOnAction(e -> main.calls.call(vm.number));
    Button videoCall = new Button("\u25B6 Video call");
    videoCall.setId("videoCallButton");
    videoCall.getStyleClass().add("flat-button");
    videoCall.setTooltip(new Tooltip("Video call"));
    videoCall.setOnAction(e -> main.calls.videoCall(vm.number));
    HBox header = new HBox(12, avatar, titles, grow, call, videoCall, safety, rename);
    header.setAlignment(Pos.CENTER_LEFT);
    header.getStyleClass().add("conversation-header");

    Label bannerText = new Label("The safety number with this contact changed. They may have reinstalled Parley "
        + "or changed phones; compare it with them to be sure no one is in the middle.");
    bannerText.setWrapText(true);
    HBox.setHgrow(bannerText, Priority.ALWAYS);
    bannerText.setMaxWidth(Double.MAX_VALUE);
    Button view = new Button("View");
    view.getStyleClass().add("banner-button");
    view.setOnAction(e -> main.showPanel(MainViewModel.Panel.SAFETY_NUMBER));
    Button ok = new Button("Dismiss");
    ok.setId("dismissBanner");
    ok.getStyleClass().add("banner-button");
    ok.setOnAction(e -> main.acknowledgeIdentity());
    HBox banner = new HBox(10, bannerText, view, ok);
    banner.setId("identityBanner");
    banner.setAlignment(Pos.CENTER_LEFT);
    banner.getStyleClass().add("banner");
    subs.add(vm.identityBanner.observe(on -> Bind.show(banner, on)));

    Label error = new Label();
    error.getStyleClass().add("error-text");
    error.setWrapText(true);
    subs.add(Bind.textAndShow(error, vm.error));

    VBox top = new VBox(header, banner, error);
    setTop(top);

    list.setId("messageList");
    list.getStyleClass().add("message-list");
    vm.cards.connect(LinkBrowser::open, CardNodes::copy);
    list.setCellFactory(l -> new MessageCell(vm::retry, vm.cards, attachments, tiles));
    list.setFocusTraversable(false);
    list.setPlaceholder(new Label("No messages yet. Say hello!"));
    subs.add(Bind.rows(list.getItems(), vm.rows));
    list.getItems().addListener((ListChangeListener<ConversationRow>) c -> {
      boolean prepended = false;
      int prependedCount = 0;
      while (c.next()) {
        if (c.wasAdded() && !c.wasReplaced() && c.getFrom() == 0 && c.getTo() < list.getItems().size()
            && c.getList().size() > c.getAddedSize()) {
          prepended = true;
          prependedCount += c.getAddedSize();
        }
      }
      if (prepended) {
        list.scrollTo(prependedCount);
      } else if (stickToBottom && !list.getItems().isEmpty()) {
        scrollToBottom();
      }
    });
    subs.add(vm.scrollTo.observe(i -> {
      if (i != null && i >= 0) {
        stickToBottom = false;
        Platform.runLater(() -> {
          list.scrollTo(Math.max(0, i - 2));
          list.getSelectionModel().select(i.intValue());
        });
      }
    }));
    list.skinProperty().addListener((obs, old, skin) -> Platform.runLater(this::watchScrolling));
    // Scrolling up while already at the top (or while the first page does not fill the view) loads more too.
    list.addEventFilter(ScrollEvent.SCROLL, e -> {
      if (e.getDeltaY() > 0) {
        stickToBottom = false;
        if (atTop()) {
          vm.loadOlder();
        }
      }
    });
    AttachmentSheet sheet = new AttachmentSheet(vm.draft, subs);
    StackPane.setAlignment(sheet, Pos.BOTTOM_CENTER);
    Label dropHint = FileInput.dropTarget(this, vm.draft);
    ShareLocationSheet placeSheet = new ShareLocationSheet(vm.shareLocation, tiles, subs);
    PaymentRequestSheet paymentSheet = new PaymentRequestSheet(vm.requestPayment, subs);
    StackPane.setAlignment(placeSheet, Pos.BOTTOM_CENTER);
    StackPane.setAlignment(paymentSheet, Pos.BOTTOM_CENTER);
    StackPane middle = new StackPane(list, dropHint, sheet, placeSheet, paymentSheet);
    setCenter(middle);

    composer.setId("composer");
    composer.setPromptText("Write a message");
    composer.setWrapText(true);
    composer.setPrefRowCount(2);
    composer.getStyleClass().add("composer");
    HBox.setHgrow(composer, Priority.ALWAYS);
    composer.addEventFilter(KeyEvent.KEY_PRESSED, e -> {
      if (PASTE.match(e) && pasteFiles()) {
        e.consume();
        return;
      }
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
    emojiButton.setOnAction(e -> Bind.show(emoji, !emoji.isVisible()));
    Button attach = FileInput.paperclip(vm.draft, dialogs, this);
    Button sendButton = new Button("Send");
    sendButton.setId("sendButton");
    sendButton.getStyleClass().add("send-button");
    sendButton.setOnAction(e -> send());
    emojiButton.setMinWidth(Region.USE_PREF_SIZE);
    sendButton.setMinWidth(Region.USE_PREF_SIZE);
    VoiceComposer voice = new VoiceComposer(vm.recorder, subs);
    HBox composerRow = new HBox(8, ComposerMenu.button(vm, attach::fire), attach, emojiButton, composer,
        sendButton, voice.button());
    composerRow.setAlignment(Pos.BOTTOM_CENTER);
    Label typing = new Label();
    typing.setId("typingIndicator");
    typing.getStyleClass().add("typing-indicator");
    subs.add(vm.subtitle.observe(sub -> {
      typing.setText(vm.title.get() + " is typing…");
      Bind.show(typing, vm.isTyping());
    }));
    VBox bottom = new VBox(6, typing, emoji, voice.strip(), voice.notice(), composerRow);
    bottom.getStyleClass().add("composer-bar");
    setBottom(bottom);
  }

  private void watchScrolling() {
    for (var node : list.lookupAll(".scroll-bar")) {
      if (node instanceof ScrollBar bar && bar.getOrientation() == Orientation.VERTICAL) {
        bar.valueProperty().addListener((obs, old, v) -> {
          // Rows change height as pictures arrive, which moves the bar too: only the person scrolling up (the
          // wheel, below, or the bar itself) leaves the bottom.
          if (v.doubleValue() >= bar.getMax() - 0.01) {
            stickToBottom = true;
          } else if (bar.isPressed()) {
            stickToBottom = false;
          }
          if (v.doubleValue() <= bar.getMin() + 0.001 && old.doubleValue() > v.doubleValue()) {
            vm.loadOlder();
          }
        });
      }
    }
  }

  /**
   * Shows the end of the last row. ListView.scrollTo puts the last row's top in view with the height its cell had
   * before: a row that grew (a picture tile, a progress bar) could end below the list. Once layout has run, the
   * flow is asked to show that row whole and then to go as far down as it can.
   */
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

  private boolean atTop() {
    for (var node : list.lookupAll(".scroll-bar")) {
      if (node instanceof ScrollBar bar && bar.getOrientation() == Orientation.VERTICAL) {
        return !bar.isVisible() || bar.getValue() <= bar.getMin() + 0.001;
      }
    }
    return true;
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

  /** What a drop of files does: they go to the preview sheet. */
  void dropFiles(List<File> files) {
    FileInput.dropFiles(vm.draft, files);
  }

  /**
   * Ctrl+V with files or a picture (and no text) on the clipboard: they go to the preview sheet, a picture as a
   * PNG written off the FX thread. Returns false for text, which the composer pastes itself.
   */
  private boolean pasteFiles() {
    Clipboard clipboard = Clipboard.getSystemClipboard();
    if (clipboard.hasFiles()) {
      dropFiles(clipboard.getFiles());
      return true;
    }
    if (clipboard.hasImage() && !clipboard.hasString()) {
      pastePicture(clipboard.getImage());
      return true;
    }
    return false;
  }

  /** Copies a pasted picture's pixels (on the FX thread, where the image lives) for the ViewModel to write. */
  void pastePicture(Image image) {
    int w = (int) image.getWidth();
    int h = (int) image.getHeight();
    if (image.getPixelReader() == null || w <= 0 || h <= 0) {
      vm.draft.error.set("The pasted picture cannot be read");
      return;
    }
    if (w > MAX_PASTE_SIDE || h > MAX_PASTE_SIDE) {
      vm.draft.error.set("The pasted picture is too large (" + w + " × " + h + "); save it and send the file");
      return;
    }
    int[] argb = new int[w * h];
    image.getPixelReader().getPixels(0, 0, w, h, PixelFormat.getIntArgbInstance(), argb, 0, w);
    vm.draft.addPicture(new Pixels(w, h, argb));
  }

  AttachmentActions attachments() {
    return attachments;
  }

  void focusComposer() {
    composer.requestFocus();
  }

  void dispose() {
    subs.clear();
    attachments.close();
  }
}
