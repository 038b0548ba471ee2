package org.parley.desktop.view;

import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.parley.desktop.vm.PaymentRequestViewModel;
import org.parley.desktop.vm.Value;

/**
 * "Request payment": amount in ₹, our UPI ID and name, an optional note, each with its problem under it; Cancel and
 * Send. What it sends is a request the payer pays in their own UPI app.
 */
final class PaymentRequestSheet extends VBox {

  private final GridPane grid = new GridPane();
  private int row;

  PaymentRequestSheet(PaymentRequestViewModel vm, Bind.Subscriptions subs) {
    super(10);
    setId("paymentRequestSheet");
    getStyleClass().addAll("card", "attachment-sheet", "payment-request-sheet");
    setMaxSize(480, Region.USE_PREF_SIZE);
    Label heading = new Label("Request payment");
    heading.getStyleClass().add("card-title");
    grid.setHgap(10);
    grid.setVgap(4);
    TextField amount = field("paymentRequestAmount", "Amount (₹)", "e.g. 250 or 1500.50", vm.amount,
        vm.amountError, subs);
    field("paymentRequestVpa", "Your UPI ID", "name@bank, where the money goes", vm.vpa, vm.vpaError, subs);
    field("paymentRequestName", "Your name", "as their UPI app should show it", vm.payeeName, vm.nameError, subs);
    field("paymentRequestNote", "Note", "what it is for (optional)", vm.note, vm.noteError, subs);
    Label about = new Label("They pay in their own UPI app from the link or QR code. Parley never moves money and "
        + "never asks for a UPI PIN.");
    about.getStyleClass().add("hint-text");
    about.setWrapText(true);
    Label error = new Label();
    error.getStyleClass().add("error-text");
    error.setWrapText(true);
    subs.add(Bind.textAndShow(error, vm.error));
    Button cancel = new Button("Cancel");
    cancel.setId("paymentRequestCancel");
    cancel.getStyleClass().add("flat-button");
    cancel.setOnAction(e -> vm.cancel());
    Button send = new Button("Send request");
    send.setId("paymentRequestSend");
    send.getStyleClass().add("send-button");
    send.setOnAction(e -> vm.send());
    subs.add(vm.sending.observe(send::setDisable));
    Region grow = new Region();
    HBox.setHgrow(grow, Priority.ALWAYS);
    HBox buttons = new HBox(8, grow, cancel, send);
    buttons.setAlignment(Pos.CENTER_RIGHT);
    getChildren().addAll(heading, grid, about, error, buttons);
    for (var node : grid.getChildren()) {
      if (node instanceof TextField f) {
        f.setOnKeyPressed(e -> {
          if (e.getCode() == KeyCode.ENTER) {
            e.consume();
            vm.send();
          } else if (e.getCode() == KeyCode.ESCAPE) {
            e.consume();
            vm.cancel();
          }
        });
      }
    }
    subs.add(Bind.sheet(this, vm.open, vm::cancel, amount));
  }

  private TextField field(String id, String name, String prompt, Value<String> value, Value<String> problem,
      Bind.Subscriptions subs) {
    Label label = new Label(name);
    label.getStyleClass().add("field-label");
    TextField field = new TextField();
    field.setId(id);
    field.setPromptText(prompt);
    field.setPrefColumnCount(24);
    GridPane.setHgrow(field, Priority.ALWAYS);
    field.textProperty().addListener((obs, old, text) -> value.set(text));
    subs.add(value.observe(text -> {
      if (!text.equals(field.getText())) {
        field.setText(text);
      }
    }));
    Label error = new Label();
    error.setId(id + "Error");
    error.getStyleClass().add("error-text");
    error.setWrapText(true);
    error.setMaxWidth(340);
    subs.add(Bind.textAndShow(error, problem));
    grid.add(label, 0, row);
    grid.add(field, 1, row++);
    grid.add(error, 1, row++);
    return field;
  }
}
