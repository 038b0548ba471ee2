package org.parley.desktop.vm;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An ordered list a view shows in a virtualized list: it reports fine-grained changes so a view can keep its scroll
 * position when older rows are prepended or a row's status changes.
 */
public final class Rows<T> {

  /** What changed. */
  public interface Listener<T> {
    void reset(List<T> all);

    void inserted(int index, List<T> rows);

    void replaced(int index, T row);

    void removed(int index);
  }

  private final List<T> rows = new ArrayList<>();
  private final List<Listener<T>> listeners = new CopyOnWriteArrayList<>();

  public List<T> snapshot() {
    return Collections.unmodifiableList(new ArrayList<>(rows));
  }

  public int size() {
    return rows.size();
  }

  public T get(int index) {
    return rows.get(index);
  }

  public void reset(List<T> all) {
    rows.clear();
    rows.addAll(all);
    List<T> copy = snapshot();
    listeners.forEach(l -> l.reset(copy));
  }

  public void insert(int index, List<T> added) {
    if (added.isEmpty()) {
      return;
    }
    rows.addAll(index, added);
    List<T> copy = List.copyOf(added);
    listeners.forEach(l -> l.inserted(index, copy));
  }

  public void add(T row) {
    insert(rows.size(), List.of(row));
  }

  public void replace(int index, T row) {
    rows.set(index, row);
    listeners.forEach(l -> l.replaced(index, row));
  }

  public void remove(int index) {
    rows.remove(index);
    listeners.forEach(l -> l.removed(index));
  }

  /** Calls {@code listener.reset} now with the rows and then reports every change. */
  public Runnable observe(Listener<T> listener) {
    listeners.add(listener);
    listener.reset(snapshot());
    return () -> listeners.remove(listener);
  }
}
