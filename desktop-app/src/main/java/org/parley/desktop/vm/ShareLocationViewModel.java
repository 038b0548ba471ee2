package org.parley.desktop.vm;

import java.util.Optional;
import java.util.function.Consumer;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.Message;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.location.Location;
import org.parley.desktop.maps.MapViewport;

/**
 * The "Share location" sheet: a map the person pans and zooms with a pin at its centre, a field for typed or
 * pasted coordinates (both move each other), an optional label, Send. A desktop has no GPS and the app never
 * guesses a place (from the IP address or otherwise): until the person moves the map or types a place there is
 * nothing to send.
 */
public final class ShareLocationViewModel {

  /** Where the map opens before the person picks anything: the whole world, no place implied. */
  static final double START_LATITUDE = 20;
  static final double START_LONGITUDE = 0;
  static final int START_ZOOM = 2;
  /** The zoom a typed or pasted place is shown at: streets. */
  static final int PLACE_ZOOM = 16;

  public final Value<Boolean> open = new Value<>(false);
  /** What the coordinates field shows; the view writes what the person types through {@link #typed}. */
  public final Value<String> coordinates = new Value<>("");
  public final Value<String> label = new Value<>("");
  public final Value<String> error = new Value<>("");
  public final Value<Boolean> sending = new Value<>(false);
  /** Bumped whenever the viewport moved by the ViewModel (a typed place), so the map redraws. */
  public final Value<Integer> mapMoved = new Value<>(0);
  public final MapViewport viewport = new MapViewport(START_LATITUDE, START_LONGITUDE, START_ZOOM, 480, 300, 1,
      19);

  private final String number;
  private final ParleyClient client;
  private final Tasks tasks;
  private final Consumer<Message> sent;
  private Optional<Location> chosen = Optional.empty();

  /** @param sent gets the message once sent (the conversation shows it) */
  public ShareLocationViewModel(String number, ParleyClient client, Tasks tasks, Consumer<Message> sent) {
    this.number = number;
    this.client = client;
    this.tasks = tasks;
    this.sent = sent;
  }

  public void show() {
    error.set("");
    open.set(true);
  }

  public void cancel() {
    open.set(false);
    error.set("");
    label.set("");
    coordinates.set("");
    chosen = Optional.empty();
    // The next time it opens on the world again, not on the last place (which is not what Send would send).
    viewport.zoomBy(START_ZOOM - viewport.zoom(), viewport.width() / 2, viewport.height() / 2);
    viewport.centerOn(START_LATITUDE, START_LONGITUDE);
    mapMoved.set(mapMoved.get() + 1);
  }

  /** The person typed or pasted into the coordinates field: a good place moves the map there. */
  public void typed(String text) {
    coordinates.set(text == null ? "" : text);
    if (text == null || text.isBlank()) {
      chosen = Optional.empty();
      error.set("");
      return;
    }
    try {
      Location place = Coordinates.parse(text);
      chosen = Optional.of(place);
      error.set("");
      int zoom = Math.max(viewport.zoom(), PLACE_ZOOM);
      viewport.zoomBy(zoom - viewport.zoom(), viewport.width() / 2, viewport.height() / 2);
      viewport.centerOn(place.latitude(), place.longitude());
      mapMoved.set(mapMoved.get() + 1);
    } catch (InvalidInputException e) {
      chosen = Optional.empty();
      error.set(e.getMessage());
    }
  }

  /** The person dragged or zoomed the map: the pin's point is the place now, and the field says so. */
  public void mapMovedByHand() {
    MapViewport.LatLon c = viewport.center();
    try {
      chosen = Optional.of(Location.of(c.latitude(), c.longitude()));
      coordinates.set(Coordinates.format(c.latitude(), c.longitude()));
      error.set("");
    } catch (InvalidInputException e) {
      error.set(e.getMessage());
    }
  }

  /** Zoom with the sheet's +/− buttons, around the pin. */
  public void zoom(int steps) {
    if (viewport.zoomBy(steps, viewport.width() / 2, viewport.height() / 2)) {
      mapMoved.set(mapMoved.get() + 1);
    }
  }

  /** The place that Send would share, if any. */
  public Optional<Location> place() {
    return chosen;
  }

  public void send() {
    if (sending.get()) {
      return;
    }
    if (chosen.isEmpty()) {
      error.set(coordinates.get().isBlank() ? "Move the map to the place or type its coordinates"
          : error.get().isEmpty() ? "Those coordinates cannot be read" : error.get());
      return;
    }
    Location place;
    try {
      String name = label.get() == null ? "" : label.get().strip();
      place = Location.of(chosen.get().latitude(), chosen.get().longitude(), chosen.get().accuracyMeters(),
          name.isEmpty() ? Optional.empty() : Optional.of(name), Optional.empty());
    } catch (InvalidInputException e) {
      error.set(e.getMessage());
      return;
    }
    sending.set(true);
    error.set("");
    tasks.run(() -> client.sendLocation(number, place), m -> {
      sending.set(false);
      sent.accept(m);
      cancel();
    }, message -> {
      sending.set(false);
      error.set("Not sent: " + message);
    });
  }
}
