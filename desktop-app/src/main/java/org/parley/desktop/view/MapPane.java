package org.parley.desktop.view;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import javafx.geometry.Pos;
import javafx.scene.Cursor;
import javafx.scene.control.Label;
import javafx.scene.image.Image;
import javafx.scene.image.ImageView;
import javafx.scene.input.MouseEvent;
import javafx.scene.input.ScrollEvent;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Region;
import javafx.scene.shape.Circle;
import javafx.scene.shape.Rectangle;
import javafx.scene.shape.SVGPath;
import org.parley.client.api.location.MapTile;
import org.parley.desktop.maps.MapViewport;

/**
 * A slippy map: the tiles of a {@link MapViewport}, a pin at its centre and the OpenStreetMap attribution. In a
 * location bubble it is a still picture; in the share sheet it pans with the mouse and zooms with the wheel.
 */
final class MapPane extends Region {

  static final String ATTRIBUTION = "© OpenStreetMap contributors";

  private final MapViewport viewport;
  private final TileImages images;
  private final Pane tiles = new Pane();
  private final SVGPath pin = new SVGPath();
  private final Circle pinDot = new Circle(3.2);
  private final Label attribution = new Label(ATTRIBUTION);
  private final Set<MapTile> failed = new HashSet<>();
  private Runnable firstTile = () -> { };
  private boolean anyTile;
  private double lastX;
  private double lastY;
  private boolean dragged;

  MapPane(MapViewport viewport, TileImages images, double width, double height) {
    this.viewport = viewport;
    this.images = images;
    getStyleClass().add("map-pane");
    setPrefSize(width, height);
    setMinSize(width, height);
    setMaxSize(width, height);
    Rectangle clip = new Rectangle(width, height);
    clip.setArcWidth(12);
    clip.setArcHeight(12);
    clip.widthProperty().bind(widthProperty());
    clip.heightProperty().bind(heightProperty());
    setClip(clip);
    tiles.setManaged(false);
    // A drop-shaped pin whose tip is at (0, 0): the point it marks.
    pin.setContent("M0 0 C-2 -9 -11 -13 -11 -22 A11 11 0 1 1 11 -22 C11 -13 2 -9 0 0 Z");
    pin.getStyleClass().add("map-pin");
    pin.setManaged(false);
    pin.setMouseTransparent(true);
    pinDot.getStyleClass().add("map-pin-dot");
    pinDot.setManaged(false);
    pinDot.setMouseTransparent(true);
    attribution.getStyleClass().add("map-attribution");
    attribution.setAlignment(Pos.CENTER_RIGHT);
    attribution.setManaged(false);
    attribution.setMouseTransparent(true);
    getChildren().addAll(tiles, pin, pinDot, attribution);
    redraw(); // starts loading now: a bubble keeps its map hidden, so unlaid out, until a tile is here
  }

  /** Lets the map get shorter than asked, down to {@code minHeight}, when its window is small. */
  void shrinkable(double minHeight) {
    setMinHeight(minHeight);
  }

  /** Called once, when the first tile is on screen (the bubble shows its map only then). */
  void onFirstTile(Runnable action) {
    if (anyTile) {
      action.run(); // the tiles were decoded already
    } else {
      this.firstTile = action;
    }
  }

  /** Drag pans, the wheel zooms around the mouse; {@code moved} runs after each move by hand. */
  void panAndZoom(Runnable moved) {
    setCursor(Cursor.OPEN_HAND);
    addEventHandler(MouseEvent.MOUSE_PRESSED, e -> {
      lastX = e.getX();
      lastY = e.getY();
      dragged = false;
      setCursor(Cursor.CLOSED_HAND);
    });
    addEventHandler(MouseEvent.MOUSE_DRAGGED, e -> {
      viewport.panBy(e.getX() - lastX, e.getY() - lastY);
      lastX = e.getX();
      lastY = e.getY();
      dragged = true;
      redraw();
    });
    addEventHandler(MouseEvent.MOUSE_RELEASED, e -> {
      setCursor(Cursor.OPEN_HAND);
      if (dragged) {
        moved.run();
      }
    });
    addEventHandler(ScrollEvent.SCROLL, e -> {
      if (e.getDeltaY() != 0 && viewport.zoomBy(e.getDeltaY() > 0 ? 1 : -1, e.getX(), e.getY())) {
        redraw();
        moved.run();
      }
      e.consume();
    });
  }

  @Override
  protected void layoutChildren() {
    viewport.resize(getWidth(), getHeight());
    redraw();
  }

  /** Puts the viewport's tiles on screen: decoded ones at once, the others as they arrive. */
  void redraw() {
    tiles.getChildren().clear();
    for (MapViewport.PlacedTile placed : viewport.tiles()) {
      Optional<Image> image = images.now(placed.tile());
      if (image.isPresent()) {
        tiles.getChildren().add(view(image.get(), placed));
        shown();
      } else if (!failed.contains(placed.tile())) {
        images.load(placed.tile(), loaded -> {
          if (viewport.tiles().stream().anyMatch(p -> p.tile().equals(placed.tile()))) {
            redraw();
          }
        }, problem -> failed.add(placed.tile()));
      }
    }
    setAccessibleText("Map, zoom " + viewport.zoom() + ", pin at the centre");
    double cx = viewport.width() / 2;
    double cy = viewport.height() / 2;
    pin.setLayoutX(cx);
    pin.setLayoutY(cy);
    pinDot.setLayoutX(cx);
    pinDot.setLayoutY(cy - 22);
    attribution.autosize();
    attribution.relocate(getWidth() - attribution.getWidth(), getHeight() - attribution.getHeight());
  }

  private void shown() {
    if (!anyTile) {
      anyTile = true;
      firstTile.run();
    }
  }

  private static ImageView view(Image image, MapViewport.PlacedTile placed) {
    ImageView v = new ImageView(image);
    v.setFitWidth(MapTile.SIZE_PIXELS);
    v.setFitHeight(MapTile.SIZE_PIXELS);
    v.setLayoutX(Math.round(placed.x()));
    v.setLayoutY(Math.round(placed.y()));
    return v;
  }
}
