package org.parley.desktop.view;

import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.Region;
import org.parley.desktop.vm.ConversationViewModel;

/** The composer's "+": share a location, request a UPI payment, send files (also the paperclip's). */
final class ComposerMenu {

  private ComposerMenu() {}

  static MenuButton button(ConversationViewModel vm, Runnable attachFiles) {
    MenuItem place = new MenuItem("Share location…");
    place.setId("shareLocationItem");
    place.setOnAction(e -> {
      vm.requestPayment.cancel();
      vm.shareLocation.show();
    });
    MenuItem payment = new MenuItem("Request payment…");
    payment.setId("requestPaymentItem");
    payment.setOnAction(e -> {
      vm.shareLocation.cancel();
      vm.requestPayment.show();
    });
    MenuItem files = new MenuItem("Send pictures or files…");
    files.setId("attachFilesItem");
    files.setOnAction(e -> attachFiles.run());
    MenuButton more = new MenuButton("+", null, place, payment, files);
    more.setId("composerMenu");
    more.getStyleClass().addAll("icon-button", "composer-menu");
    more.setTooltip(new Tooltip("Share a location, request a payment, send files"));
    more.setMinWidth(Region.USE_PREF_SIZE);
    return more;
  }
}
