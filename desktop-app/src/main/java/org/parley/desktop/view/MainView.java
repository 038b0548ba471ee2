package org.parley.desktop.view;

import java.util.Optional;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.shape.SVGPath;
import org.parley.desktop.vm.ChatSummary;
import org.parley.desktop.vm.ConversationViewModel;
import org.parley.desktop.vm.Format;
import org.parley.desktop.vm.GroupConversationViewModel;
import org.parley.desktop.vm.MainViewModel;
import org.parley.desktop.vm.MapSettingsViewModel;
import org.parley.desktop.vm.SearchHit;

/** The main window: the sidebar (profile, search, chats, message hits) and the conversation with its panels. */
final class MainView extends StackPane {

  private final MainViewModel vm;
  private final Bind.Subscriptions subs = new Bind.Subscriptions();
  private final Bind.Subscriptions panelSubs = new Bind.Subscriptions();
  private final TextField search = new TextField();
  private final ListView<ChatSummary> chats = new ListView<>();
  private final StackPane content = new StackPane();
  private final StackPane overlay = new StackPane();
  private ConversationView conversationView;
  private GroupConversationView groupView;
  private boolean selecting;

  private final BorderPane layout = new BorderPane();
  private final FileDialogs dialogs;
  private final TileImages tiles;
  private final MapSettingsViewModel mapSettings;

  MainView(MainViewModel vm, FileDialogs dialogs, TileImages tiles, MapSettingsViewModel mapSettings) {
    this.tiles = tiles;
    this.mapSettings = mapSettings;
    this.vm = vm;
    this.dialogs = dialogs;
    getStyleClass().add("main");
    getChildren().add(layout);

    Avatar me = new Avatar(36);
    Label myName = new Label();
    myName.setId("profileName");
    myName.getStyleClass().add("profile-name");
    subs.add(vm.settings.settings.observe(s -> {
      myName.setText(s.profileName());
      me.set(Format.initials(s.profileName()), s.profileName());
    }));
    Region grow = new Region();
    HBox.setHgrow(grow, Priority.ALWAYS);
    Button newChat = new Button("\u270E");
    newChat.setId("newChatButton");
    newChat.getStyleClass().add("icon-button");
    newChat.setTooltip(new Tooltip("New chat (Ctrl+N)"));
    newChat.setOnAction(e -> vm.showPanel(MainViewModel.Panel.NEW_CHAT));
    Button newGroup = new Button();
    newGroup.setGraphic(groupIcon());
    newGroup.setId("newGroupButton");
    newGroup.getStyleClass().addAll("icon-button", "new-group-button");
    newGroup.setTooltip(new Tooltip("New group (Ctrl+G)"));
    newGroup.setOnAction(e -> vm.showPanel(MainViewModel.Panel.NEW_GROUP));
    Button settings = new Button("\u2699");
    settings.setId("settingsButton");
    settings.getStyleClass().add("icon-button");
    settings.setTooltip(new Tooltip("Settings"));
    settings.setOnAction(e -> vm.showPanel(MainViewModel.Panel.SETTINGS));
    HBox header = new HBox(10, me, myName, grow, newChat, newGroup, settings);
    header.setAlignment(Pos.CENTER_LEFT);
    header.getStyleClass().add("sidebar-header");

    search.setId("searchField");
    search.setPromptText("Search (Ctrl+F)");
    search.getStyleClass().add("search-field");
    search.textProperty().addListener((obs, old, t) -> {
      if (!t.equals(vm.chatList.query.get())) {
        vm.chatList.search(t);
      }
    });
    subs.add(vm.chatList.query.observe(q -> {
      if (!search.getText().equals(q)) {
        search.setText(q);
      }
    }));
    Label connection = new Label();
    connection.setId("connectionStatus");
    connection.getStyleClass().add("connection");
    connection.setWrapText(true);
    subs.add(Bind.textAndShow(connection, vm.connection));
    Label backlog = new Label();
    backlog.setId("backlogStatus");
    backlog.getStyleClass().add("backlog");
    subs.add(Bind.textAndShow(backlog, vm.backlog));

    chats.setId("chatList");
    chats.getStyleClass().add("chat-list");
    PictureCache avatars = new PictureCache(vm::picture);
    chats.setCellFactory(l -> new ChatCell(avatars));
    Label noChats = new Label();
    noChats.setId("chatListEmpty");
    noChats.setWrapText(true);
    subs.add(Bind.text(noChats, vm.chatList.emptyText));
    chats.setPlaceholder(noChats);
    subs.add(vm.chatList.chats.observe(list -> {
      selecting = true;
      chats.getItems().setAll(list);
      selectCurrent();
      selecting = false;
    }));
    chats.getSelectionModel().selectedItemProperty().addListener((obs, old, chat) -> {
      if (!selecting && chat != null) {
        vm.open(chat.number(), Optional.empty());
      }
    });
    // Clicking a chat leaves the cursor in its composer, so typing right away goes there. The list takes the focus
    // when the button is pressed (after the chat opened), so the composer takes it back once the click is over.
    chats.addEventHandler(MouseEvent.MOUSE_CLICKED, e -> {
      if (e.getButton() == MouseButton.PRIMARY) {
        focusComposer();
      }
    });

    Label hitsTitle = section("Messages");
    ListView<SearchHit> hits = new ListView<>();
    hits.setId("searchHits");
    hits.getStyleClass().add("hit-list");
    hits.setCellFactory(l -> new HitCell());
    hits.setPrefHeight(220);
    subs.add(vm.chatList.hits.observe(list -> {
      hits.getItems().setAll(list);
      Bind.show(hits, !list.isEmpty());
      Bind.show(hitsTitle, !list.isEmpty());
    }));
    hits.setOnMouseClicked(e -> {
      SearchHit hit = hits.getSelectionModel().getSelectedItem();
      if (hit != null) {
        vm.open(hit.number(), Optional.of(hit.messageId()));
      }
    });
    VBox.setMargin(search, new Insets(0, 12, 8, 12));
    VBox.setVgrow(chats, Priority.ALWAYS);
    VBox sidebar = new VBox(header, search, connection, backlog, chats, hitsTitle, hits);
    sidebar.getStyleClass().add("sidebar");
    sidebar.setPrefWidth(320);
    sidebar.setMinWidth(260);
    layout.setLeft(sidebar);

    Label empty = new Label("Select a chat, or start a new one with Ctrl+N (a group with Ctrl+G).");
    empty.getStyleClass().add("empty-state");
    content.getChildren().add(empty);
    overlay.getStyleClass().add("overlay");
    Bind.show(overlay, false);
    overlay.setOnMouseClicked(e -> {
      if (e.getTarget() == overlay) {
        vm.escape();
      }
    });
    layout.setCenter(content);
    // Panels dim the whole window, chat list included.
    getChildren().add(overlay);

    subs.add(vm.current.observe(this::showConversation));
    subs.add(vm.currentGroup.observe(this::showGroup));
    subs.add(vm.panel.observe(this::showPanel));
  }

  private static Label section(String text) {
    Label l = new Label(text);
    l.getStyleClass().add("section-label");
    return l;
  }

  /** Two people side by side: drawn, as few desktop fonts have a glyph for 👥. */
  private static SVGPath groupIcon() {
    SVGPath icon = new SVGPath();
    icon.setContent("M9 11a3.5 3.5 0 1 0 0-7a3.5 3.5 0 0 0 0 7z M2.5 20c0-3.6 2.9-6 6.5-6s6.5 2.4 6.5 6"
        + " M16 4.3a3.5 3.5 0 0 1 0 6.4 M17.5 14.3c2.4.6 4 2.7 4 5.7");
    icon.getStyleClass().add("group-icon");
    // The path is 24 units wide; the ✎ and ⚙ glyphs beside it are about 18 px.
    icon.setScaleX(0.78);
    icon.setScaleY(0.78);
    return icon;
  }

  private void focusComposer() {
    if (conversationView != null) {
      conversationView.focusComposer();
    } else if (groupView != null) {
      groupView.focusComposer();
    }
  }

  private void selectCurrent() {
    String number = vm.currentKey();
    chats.getSelectionModel().clearSelection();
    if (!number.isEmpty()) {
      for (int i = 0; i < chats.getItems().size(); i++) {
        if (chats.getItems().get(i).number().equals(number)) {
          chats.getSelectionModel().select(i);
        }
      }
    }
  }

  private void showConversation(Optional<ConversationViewModel> conversation) {
    if (conversationView != null) {
      conversationView.dispose();
      content.getChildren().remove(conversationView);
      conversationView = null;
    }
    conversation.ifPresent(c -> {
      conversationView = new ConversationView(c, vm, dialogs, tiles);
      content.getChildren().add(conversationView);
      conversationView.focusComposer();
    });
    selecting = true;
    selectCurrent();
    selecting = false;
  }

  private void showGroup(Optional<GroupConversationViewModel> group) {
    if (groupView != null) {
      groupView.dispose();
      content.getChildren().remove(groupView);
      groupView = null;
    }
    group.ifPresent(g -> {
      groupView = new GroupConversationView(g, vm, dialogs, tiles);
      content.getChildren().add(groupView);
      groupView.focusComposer();
    });
    selecting = true;
    selectCurrent();
    selecting = false;
  }

  private void showPanel(MainViewModel.Panel panel) {
    panelSubs.clear();
    overlay.getChildren().clear();
    VBox card = switch (panel) {
      case NONE -> null;
      case SETTINGS -> Panels.settings(vm.settings, vm, mapSettings, panelSubs);
      case NEW_CHAT -> Panels.newChat(vm, panelSubs);
      case SAFETY_NUMBER -> vm.current.get().map(c -> Panels.safetyNumber(c, vm, panelSubs)).orElse(null);
      case RENAME -> vm.current.get().map(c -> Panels.rename(c, vm)).orElse(null);
      case NEW_GROUP -> GroupPanels.newGroup(vm.newGroup, vm, panelSubs);
      case GROUP_INFO -> vm.currentGroup.get().map(g -> GroupPanels.groupInfo(g, vm, dialogs,
          groupView == null ? new PictureCache(g.media::picture) : groupView.attachments().pictures, panelSubs))
          .orElse(null);
      case MESSAGE_INFO -> vm.currentGroup.get().map(g -> GroupPanels.messageInfo(g, vm, panelSubs)).orElse(null);
    };
    if (card != null) {
      overlay.getChildren().add(card);
    }
    Bind.show(overlay, card != null);
    if (card == null) {
      focusComposer();
    }
  }

  /** The open conversation's view, if any. */
  Optional<ConversationView> conversationView() {
    return Optional.ofNullable(conversationView);
  }

  Optional<GroupConversationView> groupView() {
    return Optional.ofNullable(groupView);
  }

  void focusSearch() {
    search.requestFocus();
    search.selectAll();
  }

  private static final class HitCell extends ListCell<SearchHit> {
    @Override
    protected void updateItem(SearchHit hit, boolean empty) {
      super.updateItem(hit, empty);
      if (empty || hit == null) {
        setText(null);
        setGraphic(null);
        return;
      }
      Label who = new Label(hit.name());
      who.getStyleClass().add("chat-name");
      Label when = new Label(hit.time());
      when.getStyleClass().add("chat-time");
      Region grow = new Region();
      HBox.setHgrow(grow, Priority.ALWAYS);
      Label text = new Label(hit.text());
      text.getStyleClass().add("chat-preview");
      text.setMinWidth(0);
      setGraphic(new VBox(2, new HBox(6, who, grow, when), text));
      setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
    }
  }
}
