package org.parley.desktop.view;

import javafx.scene.Cursor;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.VBox;
import org.parley.desktop.maps.MapViewport;
import org.parley.desktop.vm.LocationCardViewModel;

/**
 * A shared place in a bubble: a small map with a pin (when map tiles are on and one has arrived), its name,
 * coordinates, address and "Open in map". Offline or with maps off it is the text alone.
 */
final class LocationCard extends VBox {

  static final int MAP_WIDTH = 260;
  static final int MAP_HEIGHT = 150;
  /** Streets with their names: enough to recognise the place. */
  static final int MAP_ZOOM = 15;

  LocationCard(LocationCardViewModel vm, TileImages tiles) {
    super(4);
    getStyleClass().add("location-card");
    setId("locationCard");
    if (tiles.enabled()) {
      MapPane map = new MapPane(new MapViewport(vm.latitude, vm.longitude, MAP_ZOOM, MAP_WIDTH, MAP_HEIGHT),
          tiles, MAP_WIDTH, MAP_HEIGHT);
      map.setId("locationMap");
      map.setCursor(Cursor.HAND);
      Tooltip.install(map, new Tooltip("Open in the browser"));
      map.setOnMouseClicked(e -> vm.openInMap());
      // Until a tile is here (or for good, offline) the card is its text.
      Bind.show(map, false);
      map.onFirstTile(() -> Bind.show(map, true));
      getChildren().add(map);
    }
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
