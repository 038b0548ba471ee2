package org.parley.desktop.view;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javafx.application.Platform;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ContentDisplay;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import org.parley.desktop.vm.Format;
import org.parley.desktop.vm.GroupConversationViewModel;
import org.parley.desktop.vm.GroupInfoViewModel;
import org.parley.desktop.vm.MainViewModel;
import org.parley.desktop.vm.MessageInfoViewModel;
import org.parley.desktop.vm.NewGroupViewModel;

/** The group cards over the main window: New group, Group info, Message info. Esc closes them. */
final class GroupPanels {

  /** Rows of the lists in these cards are about this tall; lists grow up to a few rows, then scroll. */
  private static final double ROW = 52;

  private GroupPanels() {}

  static VBox newGroup(NewGroupViewModel vm, MainViewModel main, Bind.Subscriptions subs) {
    TextField name = new TextField();
    name.setId("newGroupName");
    name.setPromptText("Group name");
    name.textProperty().addListener((obs, old, t) -> vm.name.set(t));
    name.setOnAction(e -> vm.create());
    PickerList people = new PickerList(vm.picker, vm::toggle, "newGroup", subs);
    Label picked = new Label();
    picked.setId("newGroupPicked");
    picked.getStyleClass().add("hint-text");
    picked.setWrapText(true);
    subs.add(Bind.textAndShow(picked, vm.pickedLine));
    Label error = new Label();
    error.setId("newGroupError");
    error.getStyleClass().add("error-text");
    error.setWrapText(true);
    subs.add(Bind.textAndShow(error, vm.error));
    Button create = new Button("Create group");
    create.setId("newGroupCreate");
    create.getStyleClass().add("primary-button");
    create.setOnAction(e -> vm.create());
    subs.add(vm.busy.observe(create::setDisable));
    VBox card = Panels.card("New group", main, name, Panels.section("MEMBERS"), people, picked, error, create);
    card.setId("newGroupPanel");
    Platform.runLater(name::requestFocus);
    return card;
  }

  static VBox groupInfo(GroupConversationViewModel group, MainViewModel main, FileDialogs dialogs,
      PictureCache pictures, Bind.Subscriptions subs) {
    GroupInfoViewModel vm = group.info;
    Avatar avatar = new Avatar(56);
    avatar.setId("groupInfoAvatar");
    TextField name = new TextField();
    name.setId("groupInfoName");
    HBox.setHgrow(name, Priority.ALWAYS);
    Button save = new Button("Rename");
    save.setId("groupInfoRename");
    save.setMinWidth(Region.USE_PREF_SIZE);
    save.setOnAction(e -> vm.rename(name.getText()));
    name.setOnAction(e -> vm.rename(name.getText()));
    Label summary = new Label();
    summary.setId("groupInfoSummary");
    summary.getStyleClass().add("hint-text");
    subs.add(Bind.text(summary, vm.summary));
    Runnable showAvatar = () -> {
      avatar.set(Format.initials(vm.name.get()), group.groupId.value());
      group.picture.get().ifPresent(id -> pictures.picture(id, avatar.pictureSide(), avatar.pictureSide(), image -> {
        if (group.picture.get().equals(Optional.of(id))) {
          avatar.showPicture(image);
        }
      }).ifPresent(avatar::showPicture));
    };
    subs.add(vm.name.observe(n -> {
      name.setText(n);
      showAvatar.run();
    }));
    subs.add(group.picture.observe(p -> showAvatar.run()));
    Button changePicture = new Button("Change picture");
    changePicture.setId("groupInfoPicture");
    changePicture.getStyleClass().add("flat-button");
    changePicture.setOnAction(e -> dialogs.filesToSend(avatar.getScene() == null ? null
        : avatar.getScene().getWindow()).stream().findFirst().ifPresent(vm::setPicture));
    Button removePicture = new Button("Remove picture");
    removePicture.setId("groupInfoRemovePicture");
    removePicture.getStyleClass().add("flat-button");
    removePicture.setOnAction(e -> vm.removePicture());
    subs.add(vm.hasPicture.observe(has -> Bind.show(removePicture, has && vm.canEdit.get())));
    subs.add(vm.canEdit.observe(can -> {
      name.setEditable(can);
      Bind.show(save, can);
      Bind.show(changePicture, can);
      Bind.show(removePicture, can && vm.hasPicture.get());
    }));
    HBox pictureRow = new HBox(6, changePicture, removePicture);
    pictureRow.setAlignment(Pos.CENTER_LEFT);
    HBox nameRow = new HBox(8, name, save);
    nameRow.setAlignment(Pos.CENTER_LEFT);
    VBox titleBox = new VBox(6, nameRow, summary, pictureRow);
    HBox.setHgrow(titleBox, Priority.ALWAYS);
    HBox top = new HBox(14, avatar, titleBox);
    top.setAlignment(Pos.CENTER_LEFT);

    Button add = new Button("+ Add members");
    add.setId("groupInfoAdd");
    add.getStyleClass().add("flat-button");
    add.setOnAction(e -> vm.startAdding(main.chatList.people()));
    Region grow = new Region();
    HBox.setHgrow(grow, Priority.ALWAYS);
    HBox membersHead = new HBox(Panels.section("MEMBERS"), grow, add);
    membersHead.setAlignment(Pos.CENTER_LEFT);

    ListView<GroupInfoViewModel.MemberRow> members = new ListView<>();
    members.setId("groupInfoMembers");
    members.getStyleClass().add("picker-list");
    members.setCellFactory(l -> new MemberCell(vm));
    subs.add(vm.members.observe(rows -> {
      members.getItems().setAll(rows);
      members.setPrefHeight(Math.min(5.5, Math.max(1, rows.size())) * ROW);
    }));

    PickerList picker = new PickerList(vm.adding, vm.adding::toggle, "groupInfoAdd", subs);
    Button addPicked = new Button("Add");
    addPicked.setId("groupInfoAddPicked");
    addPicked.getStyleClass().add("primary-button");
    addPicked.setOnAction(e -> vm.addPicked());
    Button cancelAdd = new Button("Cancel");
    cancelAdd.setId("groupInfoAddCancel");
    cancelAdd.setOnAction(e -> vm.cancelAdding());
    HBox addButtons = new HBox(8, addPicked, cancelAdd);
    VBox adding = new VBox(8, picker, addButtons);
    subs.add(vm.canEdit.observe(can -> Bind.show(add, can && !vm.addingOpen.get())));
    subs.add(vm.addingOpen.observe(open -> {
      Bind.show(adding, open);
      Bind.show(members, !open);
      Bind.show(add, !open && vm.canEdit.get());
    }));

    CheckBox everyone = new CheckBox("Everyone may add members and rename the group");
    everyone.setId("groupInfoMembersMayEdit");
    everyone.setWrapText(true);
    subs.add(vm.membersMayEdit.observe(everyone::setSelected));
    subs.add(vm.admin.observe(a -> Bind.show(everyone, a)));
    everyone.setOnAction(e -> vm.setMembersMayEdit(everyone.isSelected()));

    Button leave = new Button("Leave group");
    leave.setId("groupInfoLeave");
    leave.getStyleClass().add("danger-button");
    leave.setOnAction(e -> vm.askLeave());
    Label leaveQuestion = new Label();
    leaveQuestion.setWrapText(true);
    leaveQuestion.setMinWidth(0);
    HBox.setHgrow(leaveQuestion, Priority.ALWAYS);
    subs.add(vm.name.observe(n -> leaveQuestion.setText("Leave \u201C" + n + "\u201D? You will no longer get its "
        + "messages; the conversation stays here.")));
    Button leaveYes = new Button("Leave");
    leaveYes.setId("groupInfoLeaveConfirm");
    leaveYes.getStyleClass().add("danger-button");
    leaveYes.setMinWidth(Region.USE_PREF_SIZE);
    leaveYes.setOnAction(e -> vm.leave());
    Button leaveNo = new Button("Cancel");
    leaveNo.setMinWidth(Region.USE_PREF_SIZE);
    leaveNo.setOnAction(e -> vm.cancelLeave());
    HBox confirm = new HBox(8, leaveQuestion, leaveYes, leaveNo);
    confirm.setAlignment(Pos.CENTER_LEFT);
    confirm.getStyleClass().add("warning-text");
    subs.add(vm.confirmLeave.observe(ask -> {
      Bind.show(confirm, ask);
      Bind.show(leave, !ask && vm.member.get());
    }));
    subs.add(vm.member.observe(m -> Bind.show(leave, m && !vm.confirmLeave.get())));

    Label error = new Label();
    error.setId("groupInfoError");
    error.getStyleClass().add("error-text");
    error.setWrapText(true);
    subs.add(Bind.textAndShow(error, vm.error));
    subs.add(vm.busy.observe(b -> {
      save.setDisable(b);
      addPicked.setDisable(b);
      leaveYes.setDisable(b);
    }));

    VBox card = Panels.card("Group info", main, top, membersHead, members, adding, everyone, error, leave, confirm);
    card.setId("groupInfoPanel");
    card.setMaxWidth(520);
    return card;
  }

  /** A member: avatar, name (You), Admin badge; for admins, Make admin and Remove. */
  private static final class MemberCell extends ListCell<GroupInfoViewModel.MemberRow> {
    private final Avatar avatar = new Avatar(34);
    private final Label name = new Label();
    private final Label number = new Label();
    private final Label badge = new Label("Admin");
    private final Button promote = new Button("Make admin");
    private final Button remove = new Button("Remove");
    private final HBox root;
    private GroupInfoViewModel.MemberRow item;

    MemberCell(GroupInfoViewModel vm) {
      name.getStyleClass().add("person-name");
      number.getStyleClass().add("person-number");
      badge.getStyleClass().add("admin-badge");
      badge.setMinWidth(Region.USE_PREF_SIZE);
      promote.getStyleClass().add("flat-button");
      promote.getStyleClass().add("member-promote");
      remove.getStyleClass().addAll("flat-button", "member-remove");
      promote.setMinWidth(Region.USE_PREF_SIZE);
      remove.setMinWidth(Region.USE_PREF_SIZE);
      promote.setOnAction(e -> {
        if (item != null) {
          vm.promote(item.number());
        }
      });
      remove.setOnAction(e -> {
        if (item != null) {
          vm.remove(item.number());
        }
      });
      name.setMinWidth(0);
      VBox text = new VBox(1, name, number);
      text.setMinWidth(0);
      HBox.setHgrow(text, Priority.ALWAYS);
      root = new HBox(10, avatar, text, badge, promote, remove);
      root.setAlignment(Pos.CENTER_LEFT);
      root.setMinWidth(0);
      root.prefWidthProperty().bind(widthProperty().subtract(24));
      root.maxWidthProperty().bind(widthProperty().subtract(24));
      getStyleClass().add("person-cell");
      setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
    }

    @Override
    protected void updateItem(GroupInfoViewModel.MemberRow m, boolean empty) {
      super.updateItem(m, empty);
      item = empty ? null : m;
      if (empty || m == null) {
        setGraphic(null);
        setAccessibleText(null);
        return;
      }
      avatar.set(m.initials(), m.avatarKey());
      name.setText(m.me() ? "You" : m.name());
      boolean showNumber = !m.me() && !m.name().equals(m.number());
      number.setText(showNumber ? m.number() : "");
      Bind.show(number, showNumber);
      Bind.show(badge, m.admin());
      Bind.show(promote, m.canPromote());
      Bind.show(remove, m.canRemove());
      setAccessibleText((m.me() ? "You" : m.name()) + (m.admin() ? ", admin" : ""));
      setGraphic(root);
    }
  }

  static VBox messageInfo(GroupConversationViewModel group, MainViewModel main, Bind.Subscriptions subs) {
    MessageInfoViewModel vm = group.messageInfo;
    Label text = new Label();
    text.setId("messageInfoText");
    text.setWrapText(true);
    text.getStyleClass().add("bubble-text");
    Label sent = new Label();
    sent.getStyleClass().add("bubble-time");
    VBox bubble = new VBox(2, text, sent);
    bubble.getStyleClass().addAll("bubble", "bubble-out");
    bubble.setMaxWidth(Region.USE_PREF_SIZE);
    HBox bubbleRow = new HBox(bubble);
    bubbleRow.setAlignment(Pos.CENTER_RIGHT);
    subs.add(Bind.text(text, vm.text));
    subs.add(Bind.text(sent, vm.sent));
    Label summary = new Label();
    summary.setId("messageInfoSummary");
    summary.getStyleClass().add("hint-text");
    subs.add(Bind.text(summary, vm.summary));

    ListView<ReceiptLine> lines = new ListView<>();
    lines.setId("messageInfoMembers");
    lines.getStyleClass().add("picker-list");
    lines.setCellFactory(l -> new ReceiptCell());
    Runnable fill = () -> {
      List<ReceiptLine> all = new ArrayList<>();
      section(all, "READ BY", vm.read.get());
      section(all, "DELIVERED TO", vm.delivered.get());
      section(all, "NOT DELIVERED YET", vm.waiting.get());
      lines.getItems().setAll(all);
      lines.setPrefHeight(Math.min(7, Math.max(1, all.size())) * ROW * 0.85);
    };
    subs.add(vm.read.observe(x -> fill.run()));
    subs.add(vm.delivered.observe(x -> fill.run()));
    subs.add(vm.waiting.observe(x -> fill.run()));
    Label error = new Label();
    error.getStyleClass().add("error-text");
    error.setWrapText(true);
    subs.add(Bind.textAndShow(error, vm.error));
    VBox card = Panels.card("Message info", main, bubbleRow, summary, lines, error);
    card.setId("messageInfoPanel");
    return card;
  }

  private static void section(List<ReceiptLine> out, String title, List<MessageInfoViewModel.ReceiptRow> rows) {
    if (!rows.isEmpty()) {
      out.add(new ReceiptLine(title, null));
      rows.forEach(r -> out.add(new ReceiptLine(null, r)));
    }
  }

  /** A line of the message info list: a section title, or a member with when. */
  private record ReceiptLine(String section, MessageInfoViewModel.ReceiptRow row) {}

  private static final class ReceiptCell extends ListCell<ReceiptLine> {
    private final Avatar avatar = new Avatar(30);
    private final Label name = new Label();
    private final Label when = new Label();
    private final Label section = new Label();
    private final HBox root;

    ReceiptCell() {
      name.getStyleClass().add("person-name");
      when.getStyleClass().add("person-number");
      when.setMinWidth(Region.USE_PREF_SIZE);
      section.getStyleClass().add("section-label");
      name.setMinWidth(0);
      Region grow = new Region();
      HBox.setHgrow(grow, Priority.ALWAYS);
      root = new HBox(10, avatar, name, grow, when);
      root.setAlignment(Pos.CENTER_LEFT);
      root.setMinWidth(0);
      root.prefWidthProperty().bind(widthProperty().subtract(24));
      root.maxWidthProperty().bind(widthProperty().subtract(24));
      setContentDisplay(ContentDisplay.GRAPHIC_ONLY);
    }

    @Override
    protected void updateItem(ReceiptLine line, boolean empty) {
      super.updateItem(line, empty);
      if (empty || line == null) {
        setGraphic(null);
        setAccessibleText(null);
        return;
      }
      if (line.section() != null) {
        section.setText(line.section());
        setAccessibleText(line.section());
        setGraphic(section);
        return;
      }
      MessageInfoViewModel.ReceiptRow r = line.row();
      avatar.set(r.initials(), r.number());
      name.setText(r.name());
      when.setText(r.when());
      setAccessibleText(r.name() + (r.when().isEmpty() ? "" : ", " + r.when()));
      setGraphic(root);
    }
  }
}
