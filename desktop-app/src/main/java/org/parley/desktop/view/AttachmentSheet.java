package org.parley.desktop.view;

import java.util.List;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.parley.desktop.vm.AttachmentDraft;
import org.parley.desktop.vm.Attachments;
import org.parley.desktop.vm.DraftItem;

/** The preview before sending: thumbnails or file names (each with ✕), a caption, Cancel and Send. */
final class AttachmentSheet extends VBox {

  private static final int THUMB = 96;

  private final AttachmentDraft draft;
  private final FlowPane items = new FlowPane(10, 10);
  private final TextField caption = new TextField();
  private final Label heading = new Label();

  AttachmentSheet(AttachmentDraft draft, Bind.Subscriptions subs) {
    super(10);
    this.draft = draft;
    setId("attachmentSheet");
    getStyleClass().addAll("card", "attachment-sheet");
    setMaxSize(560, Region.USE_PREF_SIZE);
    heading.getStyleClass().add("card-title");
    ScrollPane scroll = new ScrollPane(items);
    scroll.setFitToWidth(true);
    scroll.setPrefViewportHeight(THUMB + 44);
    scroll.setMaxHeight(300);
    scroll.getStyleClass().add("attachment-sheet-items");
    Label error = new Label();
    error.getStyleClass().add("error-text");
    error.setWrapText(true);
    subs.add(Bind.textAndShow(error, draft.error));
    caption.setId("attachmentCaption");
    caption.setPromptText("Add a caption");
    caption.setOnKeyPressed(e -> {
      if (e.getCode() == KeyCode.ENTER) {
        e.consume();
        send();
      } else if (e.getCode() == KeyCode.ESCAPE) {
        e.consume();
        draft.cancel();
      }
    });
    Button cancel = new Button("Cancel");
    cancel.setId("attachmentCancel");
    cancel.getStyleClass().add("flat-button");
    cancel.setCancelButton(false);
    cancel.setOnAction(e -> draft.cancel());
    Button send = new Button("Send");
    send.setId("attachmentSend");
    send.getStyleClass().add("send-button");
    send.setOnAction(e -> send());
    Region grow = new Region();
    HBox.setHgrow(grow, Priority.ALWAYS);
    HBox buttons = new HBox(8, grow, cancel, send);
    buttons.setAlignment(Pos.CENTER_RIGHT);
    getChildren().addAll(heading, scroll, error, caption, buttons);
    subs.add(draft.items.observe(this::showItems));
    subs.add(draft.open.observe(on -> {
      Bind.show(this, on);
      if (on) {
        caption.requestFocus();
      } else {
        caption.clear();
      }
    }));
  }

  private void send() {
    draft.send(caption.getText());
  }

  private void showItems(List<DraftItem> list) {
    long pictures = list.stream().filter(DraftItem::picture).count();
    heading.setText(list.size() == 1 ? (pictures == 1 ? "Send a picture" : "Send a file")
        : pictures == list.size() ? "Send " + list.size() + " pictures" : "Send " + list.size() + " files");
    items.getChildren().clear();
    for (int i = 0; i < list.size(); i++) {
      items.getChildren().add(itemNode(list.get(i), i));
    }
  }

  private Node itemNode(DraftItem item, int index) {
    Node preview;
    if (item.picture()) {
      // Decoded in the background, at thumbnail size: a 50-megapixel photo never sits here at full size.
      ImageView view = new ImageView(new Image(item.file().toUri().toString(), THUMB, THUMB, true, true, true));
      view.setFitWidth(THUMB);
      view.setFitHeight(THUMB);
      view.setPreserveRatio(true);
      preview = view;
    } else {
      Label icon = new Label(Attachments.icon("", item.name()));
      icon.getStyleClass().add("file-icon");
      icon.setMinSize(48, 48);
      icon.setAlignment(Pos.CENTER);
      preview = icon;
    }
    StackPane box = new StackPane(preview);
    box.setMinSize(THUMB, THUMB);
    box.setPrefSize(THUMB, THUMB);
    box.getStyleClass().add("draft-preview");
    Button remove = new Button("\u2715");
    remove.getStyleClass().addAll("icon-button", "draft-remove");
    remove.setTooltip(new Tooltip("Remove"));
    remove.setOnAction(e -> draft.remove(index));
    StackPane.setAlignment(remove, Pos.TOP_RIGHT);
    box.getChildren().add(remove);
    Label name = new Label(item.name());
    name.getStyleClass().add("draft-name");
    name.setMaxWidth(THUMB + 20);
    Label size = new Label(item.sizeText());
    size.getStyleClass().add("file-size");
    VBox cell = new VBox(3, box, name, size);
    cell.getStyleClass().add("draft-item");
    cell.setAlignment(Pos.TOP_CENTER);
    cell.setPrefWidth(THUMB + 20);
    return cell;
  }
}
