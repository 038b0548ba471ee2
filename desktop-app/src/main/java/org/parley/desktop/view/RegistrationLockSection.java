package org.parley.desktop.view;

import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.parley.desktop.vm.RegistrationLockViewModel;

/** Settings → Registration lock: what it does, the PIN typed twice, Set (or Change) and Remove. */
final class RegistrationLockSection {

  private RegistrationLockSection() {}

  static Node build(RegistrationLockViewModel vm, Bind.Subscriptions subs) {
    Label status = new Label();
    status.setId("settingsLockStatus");
    status.getStyleClass().add("hint-text");
    status.setWrapText(true);
    subs.add(Bind.text(status, vm.status));
    PasswordField pin = new PasswordField();
    pin.setId("settingsLockPin");
    // The length rule shows before a PIN is refused for it.
    pin.setPromptText("PIN (" + RegistrationLockViewModel.MIN_PIN + "+ characters)");
    PasswordField repeated = new PasswordField();
    repeated.setId("settingsLockPinAgain");
    repeated.setPromptText("PIN again");
    HBox.setHgrow(pin, Priority.ALWAYS);
    HBox.setHgrow(repeated, Priority.ALWAYS);
    Button set = new Button("Set PIN");
    set.setId("settingsLockSet");
    Runnable submit = () -> vm.setPin(pin.getText(), repeated.getText());
    set.setOnAction(e -> submit.run());
    repeated.setOnAction(e -> submit.run());
    Button remove = new Button("Remove");
    remove.setId("settingsLockRemove");
    remove.setOnAction(e -> vm.remove());
    subs.add(vm.lockSet.observe(on -> {
      boolean known = on != null;
      set.setText(Boolean.TRUE.equals(on) ? "Change PIN" : "Set PIN");
      Bind.show(remove, Boolean.TRUE.equals(on));
      set.setDisable(!known);
      if (known) {
        // A PIN stays on screen no longer than it takes to send it.
        pin.clear();
        repeated.clear();
      }
    }));
    subs.add(vm.busy.observe(b -> {
      set.setDisable(b || vm.lockSet.get() == null);
      remove.setDisable(b);
    }));
    Label error = new Label();
    error.setId("settingsLockError");
    error.getStyleClass().add("error-text");
    error.setWrapText(true);
    subs.add(Bind.textAndShow(error, vm.error));
    return new VBox(6, status, new HBox(8, pin, repeated), new HBox(8, set, remove), error);
  }
}
