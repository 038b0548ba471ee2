package org.parley.desktop.view;

import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.parley.desktop.vm.MapSettingsViewModel;

/** Settings → Maps: the tile server URL (or none), Save, what it means, and a bad URL's reason. */
final class MapSettingsSection {

  private MapSettingsSection() {}

  static Node build(MapSettingsViewModel vm, Bind.Subscriptions subs) {
    TextField url = new TextField(vm.server.get());
    url.setId("settingsMapTiles");
    url.setPromptText("https://tile.openstreetmap.org/{z}/{x}/{y}.png, or none");
    HBox.setHgrow(url, Priority.ALWAYS);
    Button save = new Button("Save");
    save.setId("settingsSaveMapTiles");
    save.setOnAction(e -> vm.save(url.getText()));
    url.setOnAction(e -> vm.save(url.getText()));
    subs.add(vm.server.observe(url::setText));
    Label note = new Label();
    note.getStyleClass().add("hint-text");
    note.setWrapText(true);
    subs.add(Bind.text(note, vm.note));
    Label error = new Label();
    error.setId("settingsMapTilesError");
    error.getStyleClass().add("error-text");
    error.setWrapText(true);
    subs.add(Bind.textAndShow(error, vm.error));
    return new VBox(6, new HBox(8, url, save), note, error);
  }
}
