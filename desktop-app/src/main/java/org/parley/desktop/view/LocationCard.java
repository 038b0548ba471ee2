package org.parley.desktop.view;

import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;
import org.parley.desktop.vm.LocationCardViewModel;

/** A shared place in a bubble: its name, coordinates, address and "Open in map". */
final class LocationCard extends VBox {

  LocationCard(LocationCardViewModel vm) {
    super(4);
    getStyleClass().add("location-card");
    setId("locationCard");
    Label title = new Label("\uD83D\uDCCD " + vm.title);
    title.getStyleClass().add("card-title");
    Label coordinates = new Label(vm.coordinates + vm.accuracy.map(a -> "  " + a).orElse(""));
    coordinates.setId("locationCoordinates");
    coordinates.getStyleClass().add("card-detail");
    getChildren().addAll(title, coordinates);
    vm.address.ifPresent(address -> {
      Label label = new Label(address);
      label.setWrapText(true);
      label.getStyleClass().add("card-detail");
      getChildren().add(label);
    });
    Button open = new Button("Open in map");
    open.setId("openInMap");
    open.setOnAction(e -> vm.openInMap());
    getChildren().add(open);
  }
}
