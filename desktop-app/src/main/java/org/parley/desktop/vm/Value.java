package org.parley.desktop.vm;

import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A value a view watches. ViewModels change it on the UI thread (their {@code ui} executor); listeners run right
 * away, in order. Plain Java so ViewModels are tested without JavaFX.
 */
public final class Value<T> {

  private final List<Consumer<? super T>> listeners = new CopyOnWriteArrayList<>();
  private volatile T value;

  public Value(T initial) {
    this.value = initial;
  }

  public T get() {
    return value;
  }

  public void set(T newValue) {
    if (Objects.equals(value, newValue)) {
      return;
    }
    value = newValue;
    for (Consumer<? super T> listener : listeners) {
      listener.accept(newValue);
    }
  }

  /** Calls {@code listener} now with the current value and on every change; the returned handle unsubscribes. */
  public Runnable observe(Consumer<? super T> listener) {
    listeners.add(listener);
    listener.accept(value);
    return () -> listeners.remove(listener);
  }
}
