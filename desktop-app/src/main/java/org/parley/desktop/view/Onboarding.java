package org.parley.desktop.view;

import javafx.application.Platform;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.control.TitledPane;
import javafx.scene.image.ImageView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import org.parley.desktop.vm.Country;
import org.parley.desktop.vm.OnboardingViewModel;
import org.parley.desktop.vm.OnboardingViewModel.Step;
import org.parley.desktop.vm.Value;

/** The first-run screens: welcome, phone number, code, profile name; and "link to my phone". */
final class Onboarding extends StackPane {

  private final OnboardingViewModel vm;
  private final Bind.Subscriptions subs = new Bind.Subscriptions();
  private final VBox card = new VBox(16);
  private final Label error = new Label();

  Onboarding(OnboardingViewModel vm) {
    this.vm = vm;
    getStyleClass().add("onboarding");
    card.getStyleClass().addAll("card", "onboarding-card");
    card.setMaxWidth(440);
    card.setMaxHeight(Region.USE_PREF_SIZE);
    error.setId("onboardingError");
    error.getStyleClass().add("error-text");
    error.setWrapText(true);
    subs.add(Bind.textAndShow(error, vm.error));
    getChildren().add(card);
    subs.add(vm.step.observe(this::show));
  }

  private void show(Step step) {
    card.getChildren().clear();
    switch (step) {
      case WELCOME -> welcome();
      case PHONE -> phone();
      case CODE -> code();
      case PROFILE -> profile();
      case LINK -> link();
      case DONE -> card.getChildren().add(new Label("Opening your chats…"));
    }
  }

  private Label title(String text) {
    Label l = new Label(text);
    l.getStyleClass().add("onboarding-title");
    l.setWrapText(true);
    return l;
  }

  private Label body(String text) {
    Label l = new Label(text);
    l.setWrapText(true);
    l.getStyleClass().add("onboarding-body");
    return l;
  }

  private void welcome() {
    Label logo = new Label("Parley");
    logo.getStyleClass().add("logo");
    Button register = new Button("Register with my phone number");
    register.setId("welcomeRegister");
    register.getStyleClass().add("primary-button");
    register.setMaxWidth(Double.MAX_VALUE);
    register.setOnAction(e -> vm.chooseRegister());
    Button link = new Button("Link to my phone");
    link.setId("welcomeLink");
    link.setMaxWidth(Double.MAX_VALUE);
    link.setOnAction(e -> vm.chooseLink());
    card.getChildren().addAll(logo, title("Private messages, end to end encrypted"),
        body("Use this computer on its own with your phone number, or link it to Parley on your phone."),
        register, link);
  }

  static ComboBox<Country> countryPicker(Value<Country> selected) {
    ComboBox<Country> box = new ComboBox<>();
    box.getItems().setAll(Country.ALL);
    box.setValue(selected.get());
    box.setCellFactory(l -> new CountryCell(true));
    box.setButtonCell(new CountryCell(false));
    box.valueProperty().addListener((obs, old, c) -> {
      if (c != null) {
        selected.set(c);
      }
    });
    box.setVisibleRowCount(8);
    return box;
  }

  private static final class CountryCell extends ListCell<Country> {
    private final boolean full;

    CountryCell(boolean full) {
      this.full = full;
    }

    @Override
    protected void updateItem(Country c, boolean empty) {
      super.updateItem(c, empty);
      setText(empty || c == null ? null : full ? c.label() : c.iso() + " +" + c.callingCode());
    }
  }

  private void phone() {
    ComboBox<Country> country = countryPicker(vm.country);
    country.setId("countryPicker");
    TextField number = new TextField(vm.number.get());
    number.setId("phoneField");
    number.setPromptText("Phone number");
    number.textProperty().addListener((obs, old, t) -> vm.number.set(t));
    HBox.setHgrow(number, Priority.ALWAYS);
    HBox row = new HBox(8, country, number);
    TextField server = new TextField(vm.server.get());
    server.setId("serverField");
    server.textProperty().addListener((obs, old, t) -> vm.server.set(t));
    VBox advancedBox = new VBox(6, body("Server address"), server);
    TitledPane advanced = new TitledPane("Advanced", advancedBox);
    advanced.setExpanded(false);
    advanced.getStyleClass().add("advanced");
    Button next = new Button("Send code");
    next.setId("sendCodeButton");
    next.getStyleClass().add("primary-button");
    next.setDefaultButton(true);
    next.setOnAction(e -> vm.requestCode());
    subs.add(vm.busy.observe(next::setDisable));
    card.getChildren().addAll(title("Your phone number"),
        body("We will send a code to this number to check it is yours."), row, advanced, error,
        buttons(back(), next));
    Platform.runLater(number::requestFocus);
  }

  private void code() {
    TextField code = new TextField(vm.code.get());
    code.setId("codeField");
    code.setPromptText("6-digit code");
    code.getStyleClass().add("code-field");
    code.textProperty().addListener((obs, old, t) -> vm.code.set(t));
    Label hint = new Label();
    hint.getStyleClass().add("hint-text");
    hint.setWrapText(true);
    subs.add(Bind.textAndShow(hint, vm.hint));
    Button next = new Button("Verify");
    next.setId("verifyButton");
    next.getStyleClass().add("primary-button");
    next.setDefaultButton(true);
    next.setOnAction(e -> vm.verify());
    subs.add(vm.busy.observe(next::setDisable));
    PasswordField pin = new PasswordField();
    pin.setId("pinField");
    pin.setPromptText("Registration lock PIN");
    pin.textProperty().addListener((obs, old, t) -> vm.pin.set(t));
    subs.add(vm.pin.observe(t -> {
      if (!t.equals(pin.getText())) {
        pin.setText(t);
      }
    }));
    subs.add(vm.pinNeeded.observe(needed -> {
      Bind.show(pin, needed);
      if (needed) {
        Platform.runLater(pin::requestFocus);
      }
    }));
    card.getChildren().addAll(title("Enter the code"), body("Sent to " + vm.registeringNumber() + "."), code, pin,
        hint, error, buttons(back(), next));
    Platform.runLater(code::requestFocus);
  }

  private void profile() {
    TextField name = new TextField(vm.profileName.get());
    name.setId("profileNameField");
    name.setPromptText("Your name");
    name.textProperty().addListener((obs, old, t) -> vm.profileName.set(t));
    Button finish = new Button("Start chatting");
    finish.setId("finishButton");
    finish.getStyleClass().add("primary-button");
    finish.setDefaultButton(true);
    finish.setOnAction(e -> vm.finish());
    subs.add(vm.busy.observe(finish::setDisable));
    card.getChildren().addAll(title("Your profile"), body("The name your contacts see."), name, error,
        buttons(new Region(), finish));
    Platform.runLater(name::requestFocus);
  }

  private void link() {
    Label state = new Label();
    state.setId("linkState");
    state.setWrapText(true);
    state.getStyleClass().add("hint-text");
    ImageView qr = new ImageView();
    qr.setId("linkQr");
    qr.setPreserveRatio(true);
    qr.setFitWidth(232);
    qr.setSmooth(false);
    StackPane qrBox = new StackPane(qr);
    qrBox.getStyleClass().add("qr-box");
    qrBox.setMinSize(240, 240);
    qrBox.setMaxSize(Region.USE_PREF_SIZE, Region.USE_PREF_SIZE);
    TextField uri = new TextField();
    uri.setId("linkUri");
    uri.setEditable(false);
    uri.setPromptText("parley://link?…");
    Button retry = new Button("Try again");
    retry.setId("linkRetry");
    retry.getStyleClass().add("primary-button");
    retry.setOnAction(e -> vm.chooseLink());
    subs.add(vm.linkUri.observe(u -> {
      qr.setImage(u.isEmpty() ? null : QrImage.of(u, 4));
      uri.setText(u);
    }));
    subs.add(vm.linkState.observe(s -> {
      state.setText(switch (s) {
        case STARTING -> "Getting a code from the server…";
        case WAITING_FOR_PHONE -> "Waiting for your phone to scan this code… (it is replaced by a new one every few "
            + "minutes)";
        case LINKING -> "Your phone answered. Linking this computer…";
        case FAILED -> "Linking did not work.";
      });
      retry.setVisible(s == OnboardingViewModel.LinkState.FAILED);
      retry.setManaged(s == OnboardingViewModel.LinkState.FAILED);
    }));
    card.getChildren().addAll(title("Link to my phone"),
        body("On your phone, add this computer as a linked device: scan the code, or with the parley command line "
            + "run  parley add-device --qr <picture of this code>  (or pass it the text below)."),
        centered(qrBox), uri, state, error, buttons(back(), retry));
  }

  private static HBox centered(Node node) {
    HBox row = new HBox(node);
    row.setAlignment(Pos.CENTER);
    return row;
  }

  private Button back() {
    Button b = new Button("Back");
    b.setId("backButton");
    b.setOnAction(e -> vm.back());
    return b;
  }

  private static HBox buttons(Node left, Node right) {
    Region grow = new Region();
    HBox.setHgrow(grow, Priority.ALWAYS);
    HBox row = new HBox(8, left, grow, right);
    row.setAlignment(Pos.CENTER_LEFT);
    return row;
  }

  void dispose() {
    subs.clear();
  }
}
