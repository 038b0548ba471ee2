package org.parley.desktop.view;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.parley.client.api.LinkedDevice;
import org.parley.desktop.vm.SettingsViewModel;

/** Settings → Linked devices: every device of the account; on the primary, an Unlink button for the others. */
final class DevicesSection {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("d MMM HH:mm").withZone(ZoneId.systemDefault());

  private DevicesSection() {}

  static Node of(SettingsViewModel vm, Bind.Subscriptions subs) {
    VBox rows = new VBox(6);
    rows.setId("settingsDevices");
    Runnable render = () -> {
      rows.getChildren().clear();
      for (LinkedDevice d : vm.devices.get()) {
        rows.getChildren().add(row(vm, d, vm.primary.get()));
      }
    };
    subs.add(vm.devices.observe(list -> render.run()));
    subs.add(vm.primary.observe(p -> render.run()));
    return rows;
  }

  private static Node row(SettingsViewModel vm, LinkedDevice d, boolean weArePrimary) {
    Label name = new Label(d.name().isEmpty() ? "Device " + d.deviceId() : d.name());
    name.setId("device-" + d.deviceId());
    Label details = new Label("device " + d.deviceId() + (d.primary() ? " · primary" : "")
        + (d.thisDevice() ? " · this device" : "") + " · seen " + TIME.format(Instant.ofEpochMilli(d.lastSeen())));
    details.setWrapText(true);
    details.getStyleClass().add("hint-text");
    VBox text = new VBox(2, name, details);
    Region grow = new Region();
    HBox.setHgrow(grow, Priority.ALWAYS);
    HBox row = new HBox(8, text, grow);
    row.setAlignment(Pos.CENTER_LEFT);
    if (weArePrimary && !d.primary() && !d.thisDevice()) {
      Button unlink = new Button("Unlink");
      unlink.setId("unlink-" + d.deviceId());
      unlink.setOnAction(e -> vm.unlink(d.deviceId()));
      row.getChildren().add(unlink);
    }
    return row;
  }
}
