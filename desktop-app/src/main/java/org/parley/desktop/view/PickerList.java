package org.parley.desktop.view;

import java.util.function.Consumer;
import javafx.geometry.Pos;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.parley.desktop.vm.ContactPicker;

/** A search field over one's chats with a tick for each person ({@link ContactPicker}). */
final class PickerList extends VBox {

  PickerList(ContactPicker picker, Consumer<String> toggle, String idPrefix, Bind.Subscriptions subs) {
    super(8);
    TextField filter = new TextField();
    filter.setId(idPrefix + "Filter");
    filter.setPromptText("Search your chats");
    filter.textProperty().addListener((obs, old, t) -> {
      if (!t.equals(picker.filter.get())) {
        picker.setFilter(t);
      }
    });
    subs.add(picker.filter.observe(f -> {
      if (!filter.getText().equals(f)) {
        filter.setText(f);
      }
    }));
    ListView<ContactPicker.Candidate> people = new ListView<>();
    people.setId(idPrefix + "People");
    people.getStyleClass().add("picker-list");
    people.setPrefHeight(220);
    people.setCellFactory(l -> new PersonCell(toggle));
    Label empty = new Label();
    empty.setWrapText(true);
    empty.getStyleClass().add("hint-text");
    subs.add(Bind.text(empty, picker.emptyText));
    people.setPlaceholder(empty);
    subs.add(picker.shown.observe(list -> people.getItems().setAll(list)));
    getChildren().addAll(filter, people);
  }

  /** A person with a tick; a click anywhere on the row ticks or unticks. */
  private static final class PersonCell extends ListCell<ContactPicker.Candidate> {
    private final Avatar avatar = new Avatar(32);
    private final Label name = new Label();
    private final Label number = new Label();
    private final CheckBox tick = new CheckBox();
    private final HBox root;
    private ContactPicker.Candidate item;

    PersonCell(Consumer<String> toggle) {
      name.getStyleClass().add("person-name");
      number.getStyleClass().add("person-number");
      name.setMinWidth(0);
      VBox text = new VBox(1, name, number);
      text.setMinWidth(0);
      HBox.setHgrow(text, Priority.ALWAYS);
      tick.setMouseTransparent(true);
      tick.setFocusTraversable(false);
      root = new HBox(10, avatar, text, tick);
      root.setAlignment(Pos.CENTER_LEFT);
      root.setMinWidth(0);
      root.prefWidthProperty().bind(widthProperty().subtract(24));
      root.maxWidthProperty().bind(widthProperty().subtract(24));
      tick.setMinWidth(Region.USE_PREF_SIZE);
      getStyleClass().add("person-cell");
      setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
      setOnMouseClicked(e -> {
        if (item != null) {
          toggle.accept(item.number());
        }
      });
    }

    @Override
    protected void updateItem(ContactPicker.Candidate c, boolean empty) {
      super.updateItem(c, empty);
      item = empty ? null : c;
      if (empty || c == null) {
        setGraphic(null);
        setAccessibleText(null);
        return;
      }
      avatar.set(c.initials(), c.number());
      name.setText(c.name());
      number.setText(c.name().equals(c.number()) ? "" : c.number());
      Bind.show(number, !c.name().equals(c.number()));
      tick.setSelected(c.picked());
      setAccessibleText(c.name() + (c.picked() ? ", picked" : ""));
      setGraphic(root);
    }
  }
}
