package org.parley.desktop.view;

import java.util.List;
import javafx.geometry.Pos;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.parley.desktop.vm.AudioSettingsViewModel;

/** Settings → Calls: microphone and speaker pickers, or the reason this computer has no sound for calls. */
final class AudioSettingsSection {

  private AudioSettingsSection() {}

  static VBox build(AudioSettingsViewModel vm, Bind.Subscriptions subs) {
    ComboBox<AudioSettingsViewModel.Choice> mic = new ComboBox<>();
    mic.setId("settingsMicrophone");
    ComboBox<AudioSettingsViewModel.Choice> speaker = new ComboBox<>();
    speaker.setId("settingsSpeaker");
    for (ComboBox<AudioSettingsViewModel.Choice> box : List.of(mic, speaker)) {
      box.setMaxWidth(Double.MAX_VALUE);
      GridPane.setHgrow(box, Priority.ALWAYS);
    }
    boolean[] updating = {false};
    subs.add(vm.microphones.observe(list -> {
      updating[0] = true;
      mic.getItems().setAll(list);
      mic.setValue(vm.microphone.get());
      updating[0] = false;
    }));
    subs.add(vm.speakers.observe(list -> {
      updating[0] = true;
      speaker.getItems().setAll(list);
      speaker.setValue(vm.speaker.get());
      updating[0] = false;
    }));
    subs.add(vm.microphone.observe(c -> mic.setValue(c)));
    subs.add(vm.speaker.observe(c -> speaker.setValue(c)));
    subs.add(vm.available.observe(on -> {
      mic.setDisable(!on);
      speaker.setDisable(!on);
    }));
    mic.setOnAction(e -> {
      if (!updating[0]) {
        vm.chooseMicrophone(mic.getValue());
      }
    });
    speaker.setOnAction(e -> {
      if (!updating[0]) {
        vm.chooseSpeaker(speaker.getValue());
      }
    });
    GridPane grid = new GridPane();
    grid.setHgap(10);
    grid.setVgap(8);
    grid.addRow(0, new Label("Microphone"), mic);
    grid.addRow(1, new Label("Speaker"), speaker);
    grid.setAlignment(Pos.CENTER_LEFT);
    Label note = new Label();
    note.setId("settingsAudioNote");
    note.getStyleClass().add("hint-text");
    note.setWrapText(true);
    subs.add(Bind.textAndShow(note, vm.note));
    Label error = new Label();
    error.getStyleClass().add("error-text");
    error.setWrapText(true);
    subs.add(Bind.textAndShow(error, vm.error));
    vm.load();
    return new VBox(8, grid, note, error);
  }
}
