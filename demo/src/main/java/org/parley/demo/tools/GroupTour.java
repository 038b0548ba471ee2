package org.parley.demo.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import javafx.scene.control.TextField;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.attachments.OutgoingAttachment;
import org.parley.client.api.groups.GroupId;
import org.parley.client.api.groups.GroupInfo;
import org.parley.demo.DemoEnvironment;
import org.parley.demo.DemoGroup;
import org.parley.desktop.view.AppWindow;
import org.parley.desktop.vm.ConversationRow;
import org.parley.desktop.vm.GroupConversationViewModel;
import org.parley.desktop.vm.MainViewModel;

/**
 * The screenshot tour's group screens: New group with two people ticked; the group with its system lines, senders in
 * their colours and someone typing; Group info; Message info with one member who read and one who has it; and the
 * demo group, where Echo and Nova answer.
 */
final class GroupTour {

  /** What the tour lends this part: its steps and the two friends' clients. */
  interface Steps {
    void fx(Runnable action) throws Exception;

    void waitFor(BooleanSupplier condition, int seconds) throws Exception;

    void settle() throws Exception;

    void shot(String name) throws Exception;
  }

  private final AppWindow window;
  private final MainViewModel main;
  private final Steps steps;

  GroupTour(AppWindow window, MainViewModel main, Steps steps) {
    this.window = window;
    this.main = main;
    this.steps = steps;
  }

  void run(ParleyClient maya, String mayaNumber, ParleyClient sam, String samNumber) throws Exception {
    steps.fx(() -> main.showPanel(MainViewModel.Panel.NEW_GROUP));
    steps.fx(() -> {
      ((TextField) window.scene().lookup("#newGroupName")).setText("Weekend hike");
      main.newGroup.toggle(mayaNumber);
      main.newGroup.toggle(samNumber);
    });
    steps.settle();
    steps.shot("24-new-group.png");
    steps.fx(main.newGroup::create);
    steps.waitFor(() -> main.currentGroup.get().map(g -> g.title.get().equals("Weekend hike")).orElse(false), 30);
    GroupConversationViewModel group = main.currentGroup.get().orElseThrow();
    GroupId id = group.groupId;
    steps.waitFor(() -> knows(maya, id) && knows(sam, id), 30);

    steps.fx(() -> group.info.promote(mayaNumber));
    steps.waitFor(() -> lines(group) >= 2, 30);
    steps.waitFor(() -> isAdmin(maya, id, mayaNumber), 30);
    maya.renameGroup(id, "Saturday hike");
    steps.waitFor(() -> group.title.get().equals("Saturday hike"), 30);
    steps.fx(() -> group.send("Who's in for Saturday? Trailhead at 8:30"));
    steps.waitFor(() -> outgoing(group).isPresent(), 30);
    maya.sendToGroup(id, "Me! I'll drive, two seats left");
    sam.sendToGroup(id, "Count me in. I'll bring snacks and the map");
    steps.waitFor(() -> incoming(group) >= 2, 30);
    // Maya read everything; Sam's phone has it but he has not opened the group: message info shows both.
    maya.markGroupRead(id);
    steps.waitFor(() -> outgoing(group).map(b -> b.status() == MessageStatus.DELIVERED).orElse(false), 30);
    sam.sendGroupTyping(id, true);
    steps.waitFor(group::isTyping, 30);
    steps.settle();
    steps.shot("25-group-conversation.png");
    sam.sendGroupTyping(id, false);

    steps.fx(() -> main.showPanel(MainViewModel.Panel.GROUP_INFO));
    steps.settle();
    steps.shot("26-group-info.png");
    steps.fx(main::escape);

    long mine = outgoing(group).orElseThrow().id();
    steps.fx(() -> main.showMessageInfo(mine));
    steps.waitFor(() -> group.messageInfo.read.get().size() == 1 && group.messageInfo.delivered.get().size() == 1,
        30);
    steps.settle();
    steps.shot("27-message-info.png");
    steps.fx(main::escape);

    // Search finds group messages too, each under its group's name with its sender, and opens the group at it.
    steps.fx(() -> main.chatList.search("saturday"));
    steps.waitFor(() -> main.chatList.hits.get().stream().anyMatch(h -> h.number().equals(id.value())), 30);
    steps.fx(() -> main.chatList.hits.get().stream().filter(h -> h.number().equals(id.value())).reduce((x, y) -> y)
        .ifPresent(h -> main.open(h.number(), Optional.of(h.messageId()))));
    steps.settle();
    steps.shot("27b-group-search.png");
    steps.fx(() -> main.chatList.search(""));

    groupPictures(maya, sam, id);
    demoGroup();
  }

  /**
   * Pictures in the group: Maya (an admin) sets the group's picture, which becomes its avatar in the chat list and
   * the header; Sam sends a photo, which shows as a picture bubble under his name.
   */
  private void groupPictures(ParleyClient maya, ParleyClient sam, GroupId id) throws Exception {
    Path dir = Files.createTempDirectory("parley-tour-group");
    try {
      maya.setGroupPicture(id, TourFiles.summit(dir.resolve("Summit.jpg")));
      sam.sendToGroup(id, "The view from the top last year",
          List.of(OutgoingAttachment.of(TourFiles.sunset(dir.resolve("From the top.jpg")))));
      steps.waitFor(() -> main.currentGroup.get().map(g -> g.picture.get().isPresent()
          && bubbles(g).stream().anyMatch(b -> !b.attachments().isEmpty() && b.attachments().get(0).isLocal()))
          .orElse(false), 30);
      steps.waitFor(() -> main.chatList.chats.get().stream()
          .anyMatch(c -> c.number().equals(id.value()) && c.picture().isPresent()), 30);
      steps.settle();
      steps.shot("27c-group-pictures.png");
    } finally {
      try (var files = Files.list(dir)) {
        for (Path f : files.toList()) {
          Files.deleteIfExists(f);
        }
      }
      Files.deleteIfExists(dir);
    }
  }

  /** The demo group: Echo and Nova answer a message, both read it. */
  private void demoGroup() throws Exception {
    GroupId demo = main.chatList.chats.get().stream()
        .filter(c -> c.isGroup() && c.name().equals(DemoGroup.NAME)).findFirst().orElseThrow()
        .group().orElseThrow();
    steps.fx(() -> main.openGroup(demo, DemoGroup.NAME));
    GroupConversationViewModel group = main.currentGroup.get().orElseThrow();
    steps.waitFor(() -> incoming(group) >= 2, 30);
    steps.fx(() -> group.send("Hello bots! What do you make of this?"));
    steps.waitFor(() -> incoming(group) >= 4 && outgoing(group).map(ConversationRow.Bubble::read).orElse(false),
        30);
    steps.settle();
    steps.shot("28-demo-group.png");
    steps.fx(() -> main.open(DemoEnvironment.ECHO_NUMBER, Optional.empty()));
  }

  private static boolean knows(ParleyClient c, GroupId id) {
    try {
      return c.group(id).selfIsMember();
    } catch (Exception notYet) {
      return false;
    }
  }

  private static boolean isAdmin(ParleyClient c, GroupId id, String number) {
    try {
      GroupInfo g = c.group(id);
      return g.isAdmin(number);
    } catch (Exception notYet) {
      return false;
    }
  }

  private static long lines(GroupConversationViewModel g) {
    return g.rows.snapshot().stream().filter(r -> r instanceof ConversationRow.SystemLine).count();
  }

  private static long incoming(GroupConversationViewModel g) {
    return bubbles(g).stream().filter(b -> !b.outgoing()).count();
  }

  private static Optional<ConversationRow.Bubble> outgoing(GroupConversationViewModel g) {
    return bubbles(g).stream().filter(ConversationRow.Bubble::outgoing).reduce((a, b) -> b);
  }

  private static List<ConversationRow.Bubble> bubbles(GroupConversationViewModel g) {
    return g.rows.snapshot().stream().filter(r -> r instanceof ConversationRow.Bubble)
        .map(r -> (ConversationRow.Bubble) r).toList();
  }
}
