package org.parley.client.internal.events;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.parley.client.api.ParleyListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The listeners of one client; a listener that throws is logged and does not stop the others. */
public final class Events {

  private static final Logger log = LoggerFactory.getLogger(Events.class);

  private final List<ParleyListener> listeners = new CopyOnWriteArrayList<>();

  public void add(ParleyListener listener) {
    listeners.add(listener);
  }

  public void remove(ParleyListener listener) {
    listeners.remove(listener);
  }

  public void fire(Consumer<ParleyListener> event) {
    for (ParleyListener listener : listeners) {
      try {
        event.accept(listener);
      } catch (RuntimeException e) {
        log.warn("a listener failed", e);
      }
    }
  }
}
