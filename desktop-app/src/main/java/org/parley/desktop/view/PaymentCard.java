package org.parley.desktop.view;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.image.ImageView;
import javafx.scene.image.PixelWriter;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import org.parley.client.api.payments.QrCode;
import org.parley.desktop.vm.PaymentCardViewModel;

/**
 * A UPI payment request in a bubble: amount, note, payee, its state, the QR code of its link (for a phone's UPI app)
 * and Copy link; "Paid" (with the UTR), "Decline" and "Cancel" appear only for the side and state that allow them.
 */
final class PaymentCard extends VBox {

  private static final int PIXELS_PER_MODULE = 4;
  private final List<Runnable> subscriptions = new ArrayList<>();

  PaymentCard(PaymentCardViewModel vm) {
    super(6);
    getStyleClass().add("payment-card");
    setId("paymentCard");
    Label amount = new Label(vm.amount);
    amount.setId("paymentAmount");
    amount.getStyleClass().add("card-amount");
    Label payee = new Label("to " + vm.payee);
    payee.getStyleClass().add("card-detail");
    getChildren().addAll(amount, payee);
    vm.note.ifPresent(note -> {
      Label label = new Label(note);
      label.setWrapText(true);
      getChildren().add(label);
    });
    Label state = new Label();
    state.setId("paymentState");
    state.getStyleClass().add("card-state");
    subscriptions.add(Bind.text(state, vm.state));
    ImageView qr = new ImageView(image(vm.qrCode));
    qr.setId("paymentQr");
    qr.setAccessibleText("QR code of the UPI payment link");
    Button copy = new Button("Copy link");
    copy.setId("copyPaymentLink");
    copy.setOnAction(e -> vm.copyLink());

    TextField utr = new TextField();
    utr.setId("paymentUtr");
    utr.setPromptText("UTR (12 digits)");
    utr.setPrefColumnCount(12);
    Button paid = new Button("Paid");
    paid.setId("markPaid");
    paid.setOnAction(e -> vm.markPaid(utr.getText()));
    HBox payRow = new HBox(6, utr, paid);
    Button decline = new Button("Decline");
    decline.setId("declinePayment");
    decline.setOnAction(e -> vm.decline());
    Button cancel = new Button("Cancel request");
    cancel.setId("cancelPayment");
    cancel.setOnAction(e -> vm.cancel());
    HBox actions = new HBox(6, copy, decline, cancel);
    Label error = new Label();
    error.setWrapText(true);
    error.getStyleClass().add("error-text");
    subscriptions.add(Bind.textAndShow(error, vm.error));
    subscriptions.add(vm.canMarkPaid.observe(v -> Bind.show(payRow, v)));
    subscriptions.add(vm.canDecline.observe(v -> Bind.show(decline, v)));
    subscriptions.add(vm.canCancel.observe(v -> Bind.show(cancel, v)));
    subscriptions.add(vm.busy.observe(v -> {
      paid.setDisable(v);
      decline.setDisable(v);
      cancel.setDisable(v);
    }));
    getChildren().addAll(state, qr, payRow, actions, error);
  }

  /** Stops following the ViewModel (the cell shows another row now). */
  void dispose() {
    subscriptions.forEach(Runnable::run);
    subscriptions.clear();
  }

  /** The modules black on white with the four-module quiet zone a scanner needs. */
  static WritableImage image(QrCode code) {
    int side = (code.size() + 8) * PIXELS_PER_MODULE;
    WritableImage image = new WritableImage(side, side);
    PixelWriter pixels = image.getPixelWriter();
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        int mx = x / PIXELS_PER_MODULE - 4;
        int my = y / PIXELS_PER_MODULE - 4;
        boolean dark = mx >= 0 && my >= 0 && mx < code.size() && my < code.size() && code.isDark(mx, my);
        pixels.setColor(x, y, dark ? Color.BLACK : Color.WHITE);
      }
    }
    return image;
  }
}
