package org.parley.desktop.view;

import javafx.scene.control.Label;
import org.parley.desktop.vm.CallViewModel;
import org.parley.desktop.vm.Format;
import org.parley.desktop.vm.Value;

/** Who is on the other end of a call, as both call windows show it: avatar, name, and the number under it. */
final class CallPeer {
  final Avatar avatar = new Avatar(84);
  final Label name = new Label();
  final Label number = new Label();

  /** {@code nameId} and {@code numberId}: the labels' ids, which the UI tests look up. */
  CallPeer(CallViewModel vm, String nameId, String numberId) {
    name.setId(nameId);
    name.getStyleClass().add("call-name");
    number.setId(numberId);
    number.getStyleClass().add("call-number");
    vm.peerName.observe(n -> {
      name.setText(n);
      avatar.set(Format.initials(n), vm.peerNumber.get());
    });
    vm.peerNumber.observe(n -> {
      number.setText(n);
      // a contact saved under their number shows it once
      Bind.show(number, !n.equals(vm.peerName.get()));
      avatar.set(Format.initials(vm.peerName.get()), n);
    });
  }

  /** A wrapped note under the call's details (no-sound warning, error) that shows only while it has text. */
  static Label notice(String id, String styleClass, Value<String> text) {
    Label label = new Label();
    label.setId(id);
    label.getStyleClass().add(styleClass);
    label.setWrapText(true);
    label.setMaxWidth(292);
    Bind.textAndShow(label, text);
    return label;
  }
}
