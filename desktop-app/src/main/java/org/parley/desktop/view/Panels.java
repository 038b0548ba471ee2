package org.parley.desktop.view;

import java.time.Instant;
import java.time.ZoneId;
import java.util.Optional;
import javafx.application.Platform;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.RadioButton;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleGroup;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.parley.client.api.SafetyNumber;
import org.parley.desktop.settings.Settings;
import org.parley.desktop.settings.Theme;
import org.parley.desktop.vm.ConversationViewModel;
import org.parley.desktop.vm.Country;
import org.parley.desktop.vm.MainViewModel;
import org.parley.desktop.vm.MapSettingsViewModel;
import org.parley.desktop.vm.SettingsViewModel;

/** The cards shown over the main window: settings, new chat, safety number, rename. Esc closes them. */
final class Panels {

  private Panels() {}

  static VBox card(String title, MainViewModel main, Node... content) {
    Label heading = new Label(title);
    heading.getStyleClass().add("card-title");
    Region grow = new Region();
    HBox.setHgrow(grow, Priority.ALWAYS);
    Button close = new Button("\u2715");
    close.setId("closePanel");
    close.getStyleClass().add("icon-button");
    close.setOnAction(e -> main.escape());
    HBox head = new HBox(heading, grow, close);
    head.setAlignment(Pos.CENTER_LEFT);
    VBox card = new VBox(14, head);
    card.getChildren().addAll(content);
    card.getStyleClass().add("card");
    card.setMaxWidth(460);
    card.setMaxHeight(Region.USE_PREF_SIZE);
    return card;
  }

  static Label section(String text) {
    Label l = new Label(text);
    l.getStyleClass().add("section-label");
    return l;
  }

  static VBox settings(SettingsViewModel vm, MainViewModel main, MapSettingsViewModel maps,
      Bind.Subscriptions subs) {
    TextField name = new TextField(vm.settings.get().profileName());
    name.setId("settingsProfileName");
    HBox.setHgrow(name, Priority.ALWAYS);
    Button save = new Button("Save");
    save.setId("settingsSaveName");
    save.setOnAction(e -> vm.setProfileName(name.getText()));
    name.setOnAction(e -> vm.setProfileName(name.getText()));
    HBox nameRow = new HBox(8, name, save);

    ToggleGroup themes = new ToggleGroup();
    RadioButton system = radio("System", "themeSystem", themes);
    RadioButton light = radio("Light", "themeLight", themes);
    RadioButton dark = radio("Dark", "themeDark", themes);
    HBox themeRow = new HBox(16, system, light, dark);
    CheckBox notifications = new CheckBox("Show a notification for new messages");
    notifications.setId("settingsNotifications");
    CheckBox receipts = new CheckBox("Send read receipts");
    receipts.setId("settingsReadReceipts");
    subs.add(vm.settings.observe((Settings s) -> {
      (s.theme() == Theme.DARK ? dark : s.theme() == Theme.LIGHT ? light : system).setSelected(true);
      notifications.setSelected(s.notifications());
      receipts.setSelected(s.readReceipts());
    }));
    system.setOnAction(e -> vm.setTheme(Theme.SYSTEM));
    light.setOnAction(e -> vm.setTheme(Theme.LIGHT));
    dark.setOnAction(e -> vm.setTheme(Theme.DARK));
    notifications.setOnAction(e -> vm.setNotifications(notifications.isSelected()));
    receipts.setOnAction(e -> vm.setReadReceipts(receipts.isSelected()));
    Label device = new Label();
    device.setId("settingsDevice");
    device.getStyleClass().add("mono");
    device.setWrapText(true);
    subs.add(Bind.text(device, vm.device));
    Label error = new Label();
    error.getStyleClass().add("error-text");
    subs.add(Bind.textAndShow(error, vm.error));
    VBox lock = new VBox(14, section("Registration lock"), RegistrationLockSection.build(vm.registrationLock, subs));
    subs.add(vm.primary.observe(p -> Bind.show(lock, p)));
    VBox body = new VBox(14, section("Profile name"), nameRow, section("Theme"), themeRow,
        section("Privacy and notifications"), notifications, receipts,
        section("Calls"), AudioSettingsSection.build(main.audioSettings, subs),
        section("Maps"), MapSettingsSection.build(maps, subs),
        section("This device"), device,
        section("Linked devices"), DevicesSection.of(vm, subs), lock, error);
    // Settings outgrew a small window once calls and linked devices joined: the body scrolls, the title stays.
    ScrollPane scroll = new ScrollPane(body);
    scroll.setId("settingsScroll");
    scroll.setFitToWidth(true);
    scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
    scroll.getStyleClass().add("card-scroll");
    VBox card = card("Settings", main, scroll);
    card.setId("settingsPanel");
    return card;
  }

  private static RadioButton radio(String text, String id, ToggleGroup group) {
    RadioButton b = new RadioButton(text);
    b.setId(id);
    b.setToggleGroup(group);
    return b;
  }

  static VBox newChat(MainViewModel main, Bind.Subscriptions subs) {
    ComboBox<Country> country = Onboarding.countryPicker(main.newChatCountry);
    country.setId("newChatCountry");
    TextField number = new TextField();
    number.setId("newChatNumber");
    number.setPromptText("Phone number");
    HBox.setHgrow(number, Priority.ALWAYS);
    HBox row = new HBox(8, country, number);
    Button start = new Button("Start chat");
    start.setId("newChatStart");
    start.getStyleClass().add("primary-button");
    start.setDefaultButton(true);
    start.setOnAction(e -> main.startChat(number.getText()));
    number.setOnAction(e -> main.startChat(number.getText()));
    subs.add(main.newChatBusy.observe(b -> start.setDisable(b)));
    Label error = new Label();
    error.setId("newChatError");
    error.getStyleClass().add("error-text");
    error.setWrapText(true);
    subs.add(Bind.textAndShow(error, main.newChatError));
    VBox card = card("New chat", main, new Label("Who do you want to write to?"), row, error, start);
    card.setId("newChatPanel");
    Platform.runLater(number::requestFocus);
    return card;
  }

  static VBox safetyNumber(ConversationViewModel conversation, MainViewModel main, Bind.Subscriptions subs) {
    Label intro = new Label("Compare these numbers with " + conversation.title.get() + ", in person or on a call. "
        + "If they match, no one is in the middle of your conversation.");
    intro.setWrapText(true);
    Label digits = new Label("Loading…");
    digits.setId("safetyNumberDigits");
    digits.getStyleClass().add("safety-digits");
    digits.setWrapText(true);
    Label changed = new Label();
    changed.getStyleClass().add("warning-text");
    changed.setWrapText(true);
    subs.add(conversation.safetyNumber.observe((Optional<SafetyNumber> sn) -> sn.ifPresent(s -> {
      digits.setText(groups(s.digits()));
      changed.setText(s.identityChangedAt().map(at -> "Changed on " + Instant.ofEpochMilli(at)
          .atZone(ZoneId.systemDefault()).toLocalDateTime().withNano(0).toString().replace('T', ' '))
          .orElse(""));
      Bind.show(changed, s.identityChangedAt().isPresent());
    })));
    Button ok = new Button("They match");
    ok.getStyleClass().add("primary-button");
    ok.setOnAction(e -> {
      main.acknowledgeIdentity();
      main.escape();
    });
    VBox card = card("Safety number", main, intro, digits, changed, ok);
    card.setId("safetyNumberPanel");
    return card;
  }

  /** Twelve groups of five digits on three lines. */
  static String groups(String digits) {
    String[] g = digits.trim().split("\\s+");
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < g.length; i++) {
      sb.append(g[i]);
      if (i < g.length - 1) {
        sb.append(i % 4 == 3 ? "\n" : "   ");
      }
    }
    return sb.toString();
  }

  static VBox rename(ConversationViewModel conversation, MainViewModel main) {
    TextField name = new TextField(conversation.title.get().equals(conversation.number) ? ""
        : conversation.title.get());
    name.setId("renameField");
    name.setPromptText(conversation.number);
    Button save = new Button("Save");
    save.setId("renameSave");
    save.getStyleClass().add("primary-button");
    save.setDefaultButton(true);
    save.setOnAction(e -> main.renameCurrent(name.getText()));
    Label hint = new Label("The name is kept on this computer. Leave it empty to show the number.");
    hint.setWrapText(true);
    hint.getStyleClass().add("hint-text");
    VBox card = card("Rename " + conversation.number, main, name, hint, save);
    card.setId("renamePanel");
    Platform.runLater(name::requestFocus);
    return card;
  }
}
