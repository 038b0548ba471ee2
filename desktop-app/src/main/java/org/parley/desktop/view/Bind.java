package org.parley.desktop.view;

import java.util.ArrayList;
import java.util.List;
import javafx.collections.ObservableList;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import org.parley.desktop.vm.Rows;
import org.parley.desktop.vm.Value;

/** Connects ViewModel values to controls. ViewModels change them on the FX thread, so no hand-off is needed. */
final class Bind {

  private Bind() {}

  static Runnable text(Label label, Value<String> value) {
    return value.observe(label::setText);
  }

  /** Shows {@code node} only while {@code value} is not blank. */
  static Runnable textAndShow(Label label, Value<String> value) {
    return value.observe(v -> {
      label.setText(v);
      show(label, v != null && !v.isBlank());
    });
  }

  static void show(Node node, boolean visible) {
    node.setVisible(visible);
    node.setManaged(visible);
  }

  /**
   * A sheet over the conversation: shown while {@code open}, focus on {@code first} when it opens, Esc with the focus
   * anywhere in it (the fields handle their own first) runs {@code cancel}.
   */
  static Runnable sheet(Node sheet, Value<Boolean> open, Runnable cancel, Node first) {
    sheet.setOnKeyPressed(e -> {
      if (e.getCode() == KeyCode.ESCAPE) {
        e.consume();
        cancel.run();
      }
    });
    return open.observe(on -> {
      show(sheet, on);
      if (on) {
        first.requestFocus();
      }
    });
  }

  /** Mirrors {@code rows} into a control's item list, change by change. */
  static <T> Runnable rows(ObservableList<T> items, Rows<T> rows) {
    return rows.observe(new Rows.Listener<T>() {
      @Override
      public void reset(List<T> all) {
        items.setAll(all);
      }

      @Override
      public void inserted(int index, List<T> added) {
        items.addAll(index, added);
      }

      @Override
      public void replaced(int index, T row) {
        items.set(index, row);
      }

      @Override
      public void removed(int index) {
        items.remove(index);
      }
    });
  }

  /** Collects unsubscribe handles so a view can let go of a ViewModel. */
  static final class Subscriptions {
    private final List<Runnable> handles = new ArrayList<>();

    void add(Runnable handle) {
      handles.add(handle);
    }

    void clear() {
      handles.forEach(Runnable::run);
      handles.clear();
    }
  }
}
