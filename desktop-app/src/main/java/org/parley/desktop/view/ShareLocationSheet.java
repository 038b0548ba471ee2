package org.parley.desktop.view;

import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.parley.desktop.vm.ShareLocationViewModel;

/**
 * "Share location": a map to drag and zoom (wheel or +/−) with the pin at its centre, a field for typed or pasted
 * coordinates and map links, an optional label, Cancel and Send. With maps off, the field alone.
 */
final class ShareLocationSheet extends VBox {

  static final int MAP_WIDTH = 500;
  static final int MAP_HEIGHT = 300;
  static final int MAP_MIN_HEIGHT = 120;

  private final ShareLocationViewModel vm;
  private final TextField coordinates = new TextField();
  private boolean writing;

  ShareLocationSheet(ShareLocationViewModel vm, TileImages tiles, Bind.Subscriptions subs) {
    super(10);
    this.vm = vm;
    setId("shareLocationSheet");
    getStyleClass().addAll("card", "attachment-sheet", "share-location-sheet");
    setMaxSize(MAP_WIDTH + 40, Region.USE_PREF_SIZE);
    Label heading = new Label("Share location");
    heading.getStyleClass().add("card-title");
    getChildren().add(heading);

    if (tiles.enabled()) {
      MapPane map = new MapPane(vm.viewport, tiles, MAP_WIDTH, MAP_HEIGHT);
      map.setId("shareLocationMap");
      map.panAndZoom(vm::mapMovedByHand);
      map.shrinkable(MAP_MIN_HEIGHT); // the window may be as low as 480 px: the fields and Send must stay on it
      subs.add(vm.mapMoved.observe(n -> map.redraw()));
      Button zoomIn = zoomButton("+", "Zoom in", 1);
      zoomIn.setId("mapZoomIn");
      Button zoomOut = zoomButton("\u2212", "Zoom out", -1);
      zoomOut.setId("mapZoomOut");
      VBox zoom = new VBox(4, zoomIn, zoomOut);
      zoom.setPickOnBounds(false);
      zoom.setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
      StackPane.setAlignment(zoom, Pos.TOP_RIGHT);
      StackPane mapBox = new StackPane(map, zoom);
      mapBox.setMaxSize(MAP_WIDTH, MAP_HEIGHT);
      StackPane.setMargin(zoom, new Insets(8));
      Label hint = new Label("Drag the map to put the pin on the place; scroll or +/− to zoom.");
      hint.getStyleClass().add("hint-text");
      getChildren().addAll(mapBox, hint);
    } else {
      Label off = new Label("Maps are off (Settings → Maps): type or paste the place's coordinates.");
      off.getStyleClass().add("hint-text");
      off.setWrapText(true);
      getChildren().add(off);
    }

    coordinates.setId("shareLocationCoordinates");
    coordinates.setPromptText("Coordinates or a map link, e.g. 48.85837, 2.29448 or 48°51'30\"N 2°17'40\"E");
    coordinates.textProperty().addListener((obs, old, text) -> {
      if (!writing) {
        vm.typed(text);
      }
    });
    subs.add(vm.coordinates.observe(text -> {
      if (!text.equals(coordinates.getText())) {
        writing = true;
        coordinates.setText(text);
        writing = false;
      }
    }));
    TextField label = new TextField();
    label.setId("shareLocationLabel");
    label.setPromptText("Label (optional), e.g. Eiffel Tower");
    label.textProperty().addListener((obs, old, text) -> vm.label.set(text));
    subs.add(vm.label.observe(text -> {
      if (!text.equals(label.getText())) {
        label.setText(text);
      }
    }));
    Label error = new Label();
    error.setId("shareLocationError");
    error.getStyleClass().add("error-text");
    error.setWrapText(true);
    subs.add(Bind.textAndShow(error, vm.error));
    for (TextField field : new TextField[] {coordinates, label}) {
      field.setOnKeyPressed(e -> {
        if (e.getCode() == KeyCode.ENTER) {
          e.consume();
          vm.send();
        } else if (e.getCode() == KeyCode.ESCAPE) {
          e.consume();
          vm.cancel();
        }
      });
    }
    Label privacy = new Label("Only the place you pick is sent; Parley never locates this computer.");
    privacy.getStyleClass().add("hint-text");
    privacy.setWrapText(true);
    Button cancel = new Button("Cancel");
    cancel.setId("shareLocationCancel");
    cancel.getStyleClass().add("flat-button");
    cancel.setOnAction(e -> vm.cancel());
    Button send = new Button("Send");
    send.setId("shareLocationSend");
    send.getStyleClass().add("send-button");
    send.setOnAction(e -> vm.send());
    subs.add(vm.sending.observe(send::setDisable));
    cancel.setMinWidth(Region.USE_PREF_SIZE);
    send.setMinWidth(Region.USE_PREF_SIZE);
    HBox.setHgrow(privacy, Priority.ALWAYS);
    privacy.setMaxWidth(Double.MAX_VALUE);
    HBox buttons = new HBox(8, privacy, cancel, send);
    buttons.setAlignment(Pos.CENTER_RIGHT);
    getChildren().addAll(coordinates, label, error, buttons);
    subs.add(Bind.sheet(this, vm.open, vm::cancel, coordinates));
  }

  private Button zoomButton(String text, String tip, int steps) {
    Button b = new Button(text);
    b.getStyleClass().add("map-zoom-button");
    b.setTooltip(new Tooltip(tip));
    b.setFocusTraversable(false);
    b.setOnAction(e -> vm.zoom(steps));
    return b;
  }
}
