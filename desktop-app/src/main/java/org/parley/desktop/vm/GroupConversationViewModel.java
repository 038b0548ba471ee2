package org.parley.desktop.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.attachments.AttachmentProgress;
import org.parley.client.api.attachments.OutgoingAttachment;
import org.parley.client.api.groups.GroupEvent;
import org.parley.client.api.groups.GroupHistoryEntry;
import org.parley.client.api.groups.GroupId;
import org.parley.client.api.groups.GroupInfo;
import org.parley.client.api.groups.GroupMember;
import org.parley.client.api.groups.GroupMessage;
import org.parley.client.api.groups.GroupTyping;
import org.parley.client.api.groups.SenderKeyProblem;

/**
 * One open group conversation: messages with their senders' names in stable colours, system lines about changes
 * ("Alice added Bob"), who is typing, the composer (text, and files through the same preview sheet as 1:1), the
 * group's picture, the info panel and "message info". Attachments work as in a 1:1 conversation
 * ({@link ConversationMedia}).
 */
public final class GroupConversationViewModel {

  public static final int PAGE = 50;
  /** Names in the subtitle before "and N more". */
  static final int SUBTITLE_NAMES = 5;

  public final GroupId groupId;
  public final Value<String> title;
  /** The members ("You, Alice, Bob"), or who is typing. */
  public final Value<String> subtitle = new Value<>("");
  /** "Alice is typing…", "Alice and Bob are typing…"; empty while nobody is. */
  public final Value<String> typing = new Value<>("");
  public final Rows<ConversationRow> rows = new Rows<>();
  public final Value<Boolean> hasOlder = new Value<>(false);
  /** The row to bring into view once (a search hit's message); -1 for none. */
  public final Value<Integer> scrollTo = new Value<>(-1);
  public final Value<String> error = new Value<>("");
  /** False once we left or were removed: the composer gives way to a note. */
  public final Value<Boolean> member = new Value<>(true);
  public final Value<Optional<GroupInfo>> group = new Value<>(Optional.empty());
  public final GroupInfoViewModel info;
  public final MessageInfoViewModel messageInfo;
  /** The preview sheet of files about to be sent to the group. */
  public final AttachmentDraft draft;
  /** Transfers, pictures, Open and Save as of the group's attachments, shared with 1:1 conversations. */
  public final ConversationMedia media;
  /** The group's picture (its attachment id) once it is on this device, for the header's avatar. */
  public final Value<Optional<Long>> picture = new Value<>(Optional.empty());

  private final ParleyClient client;
  private final Tasks tasks;
  private final FileServices files;
  private final Clock clock;
  private final ZoneId zone;
  private final ScheduledExecutorService timer;
  private final Function<String, String> contactName;
  private final Set<Long> loadedMessages = new HashSet<>();
  private final Set<Long> loadedEvents = new HashSet<>();
  /** Statuses that came before the message's row (a send's result arrives after "sent"). */
  private final Map<Long, GroupMessage> earlyStatus = new HashMap<>();
  /** Members typing now, each with the generation of their latest "started" (for its timeout). */
  private final Map<String, Long> typers = new LinkedHashMap<>();
  private long typingGeneration;
  private SenderColours colours = SenderColours.of(List.of());
  private String me = "";
  private boolean loading;
  /** False until the first page is shown; what arrives live before that waits here and follows the page. */
  private boolean opened;
  private final List<Runnable> beforeOpened = new ArrayList<>();
  private long typingSentAt;
  private boolean closed;

  /**
   * @param name the group's name as the chat list shows it (until the group is loaded)
   * @param contactName a member's display name (the contact names kept on this computer, else the number)
   * @param profileName our own profile name (for our avatar's initials in the member list)
   */
  public GroupConversationViewModel(GroupId groupId, String name, ParleyClient client, Tasks tasks, Clock clock,
      ZoneId zone, ScheduledExecutorService timer, Function<String, String> contactName,
      Supplier<String> profileName) {
    this(groupId, name, client, tasks, clock, zone, timer, contactName, profileName, new FileServices(tasks, file -> {
      throw new IOException("Opening files is not available here");
    }), VoiceDevices.NONE);
  }

  /** @param files the file thread, local copies and the desktop's opener, as for a 1:1 conversation */
  public GroupConversationViewModel(GroupId groupId, String name, ParleyClient client, Tasks tasks, Clock clock,
      ZoneId zone, ScheduledExecutorService timer, Function<String, String> contactName,
      Supplier<String> profileName, FileServices files, VoiceDevices voice) {
    this.groupId = groupId;
    this.files = files;
    this.draft = new AttachmentDraft(this::sendAttachments, files);
    this.media = new ConversationMedia(rows, client, tasks, files, voice, this::fail);
    this.title = new Value<>(name);
    this.client = client;
    this.tasks = tasks;
    this.clock = clock;
    this.zone = zone;
    this.timer = timer;
    this.contactName = contactName;
    this.info = new GroupInfoViewModel(groupId, client, tasks, files, this::nameOf, profileName);
    this.messageInfo = new MessageInfoViewModel(client, tasks, this::nameOf, zone, clock);
  }

  /** Loads the group and its newest page. */
  public void open() {
    open(Optional.empty());
  }

  /**
   * Loads the group and its newest page or, for a search hit, as many pages as it takes to reach
   * {@code focusMessageId}, which is then scrolled to.
   */
  public void open(Optional<Long> focusMessageId) {
    loading = true;
    tasks.run(() -> {
      int limit = PAGE;
      List<GroupHistoryEntry> history = client.groupHistory(groupId, limit);
      // No cursor in the group history yet: ask for four times as much until the hit is in (or all is).
      while (focusMessageId.isPresent() && history.size() == limit && history.stream()
          .noneMatch(e -> e instanceof GroupMessage m && m.id() == focusMessageId.get())) {
        limit *= 4;
        history = client.groupHistory(groupId, limit);
      }
      return new Loaded(client.account().number(), client.group(groupId), history);
    }, loaded -> {
          loading = false;
          me = loaded.me;
          update(loaded.group);
          loadedMessages.clear();
          loadedEvents.clear();
          loaded.history.forEach(this::remember);
          rows.reset(toRows(loaded.history));
          hasOlder.set(loaded.history.size() == PAGE);
          opened = true;
          beforeOpened.forEach(Runnable::run);
          beforeOpened.clear();
          focusMessageId.ifPresent(id -> scrollTo.set(indexOfMessage(id)));
        }, this::fail);
  }

  /**
   * Loads older lines (the person scrolled to the top). client-core's group history has no cursor yet: this asks
   * for one page more than is loaded and keeps what is new.
   */
  public void loadOlder() {
    if (loading || !hasOlder.get()) {
      return;
    }
    loading = true;
    int want = loadedMessages.size() + loadedEvents.size() + PAGE;
    tasks.run(() -> client.groupHistory(groupId, want), page -> {
      loading = false;
      hasOlder.set(page.size() == want);
      List<GroupHistoryEntry> older = new ArrayList<>();
      for (GroupHistoryEntry e : page) {
        if (!isLoaded(e)) {
          older.add(e);
        }
      }
      if (older.isEmpty()) {
        return;
      }
      older.forEach(this::remember);
      List<ConversationRow> add = toRows(older);
      if (rows.size() > 0 && rows.get(0) instanceof ConversationRow.Day first
          && first.date().equals(dayOf(older.get(older.size() - 1).timestamp()))) {
        rows.remove(0);
      }
      rows.insert(0, add);
    }, this::fail);
  }

  /** Sends the composer's text to the group; blank text is ignored. */
  public void send(String text) {
    if (text == null || text.isBlank()) {
      return;
    }
    String body = text.strip();
    typingSentAt = 0;
    tasks.run(() -> {
      GroupMessage m = client.sendToGroup(groupId, body);
      try {
        client.sendGroupTyping(groupId, false);
      } catch (ParleyException ignored) {
        // typing is best effort
      }
      return m;
    }, this::onMessage, this::fail);
  }

  /** Sends files from the preview sheet as one group message with {@code caption}; pasted pictures are deleted. */
  void sendAttachments(List<DraftItem> items, String caption) {
    typingSentAt = 0;
    List<OutgoingAttachment> outgoing = items.stream().map(i -> OutgoingAttachment.of(i.file())).toList();
    // The file thread: client-core copies (encrypts) every file into its store before sendToGroup returns; the
    // upload (once, for every member) follows in the background.
    files.tasks().run(() -> {
      try {
        return client.sendToGroup(groupId, caption, outgoing);
      } finally {
        for (DraftItem i : items) {
          if (i.temporary()) {
            try {
              Files.deleteIfExists(i.file());
            } catch (IOException ignored) {
              // the private directory is cleared at exit
            }
          }
        }
      }
    }, this::onMessage, this::fail);
  }

  public void onAttachmentProgress(AttachmentProgress p) {
    media.onAttachmentProgress(p);
  }

  /** An attachment moved on; a new picture of the group, once downloaded, becomes the header's avatar. */
  public void onAttachmentChanged(Attachment a) {
    media.onAttachmentChanged(a);
    if (a.groupId().filter(groupId::equals).isPresent() && a.messageId() == 0 && a.state().isLocal()) {
      tasks.run(() -> client.group(groupId), this::update, this::fail);
    }
  }

  /** Sends a failed message again as a new one and hides the failed bubble. */
  public void retry(long messageId) {
    int index = indexOfMessage(messageId);
    if (index >= 0 && rows.get(index) instanceof ConversationRow.Bubble b && b.failed()
        && !b.attachments().isEmpty()) {
      // Its files are still here: the uploads are tried again, and the message goes once they are up.
      b.attachments().stream().filter(AttachmentItem::canRetry).forEach(a -> media.retryTransfer(a.id()));
      return;
    }
    if (index >= 0 && rows.get(index) instanceof ConversationRow.Bubble b && b.failed()) {
      rows.remove(index);
      send(b.text());
    }
  }

  /** The composer changed: tells the members we are typing (at most every few seconds) or stopped. */
  public void composerChanged(String text) {
    long now = clock.millis();
    boolean empty = text == null || text.isBlank();
    if (!member.get()) {
      return;
    }
    if (empty && typingSentAt > 0) {
      typingSentAt = 0;
      sendTyping(false);
    } else if (!empty && now - typingSentAt >= ConversationViewModel.TYPING_RESEND_MS) {
      typingSentAt = now;
      sendTyping(true);
    }
  }

  private void sendTyping(boolean started) {
    tasks.run(() -> {
      client.sendGroupTyping(groupId, started);
      return null;
    }, x -> { }, x -> { });
  }

  /** A new message in this group (from a member, or one we sent here or on another device). */
  public void onMessage(GroupMessage message) {
    if (!opened) {
      waitForPage(() -> onMessage(message));
      return;
    }
    GroupMessage early = earlyStatus.remove(message.id());
    GroupMessage m = early != null && early.status().isAfter(message.status()) ? early : message;
    if (!loadedMessages.add(m.id())) {
      onStatus(m);
      return;
    }
    if (!m.isOutgoing()) {
      typers.remove(m.senderNumber());
      updateTyping();
    }
    append(bubble(m), m.timestamp());
  }

  public void onStatus(GroupMessage m) {
    if (!opened) {
      waitForPage(() -> onStatus(m));
      return;
    }
    int index = indexOfMessage(m.id());
    if (index >= 0) {
      ConversationRow.Bubble shown = (ConversationRow.Bubble) rows.get(index);
      if (m.status() == shown.status() || !m.status().isAfter(shown.status()) && m.status() != MessageStatus.FAILED) {
        return;
      }
      ConversationRow.Bubble fresh = bubble(m);
      // Attachment events (progress, downloaded) may have moved the shown items on since the status was read.
      rows.replace(index, shown.attachments().isEmpty() ? fresh : new ConversationRow.Bubble(fresh.id(),
          fresh.outgoing(), fresh.text(), fresh.timestamp(), fresh.time(), fresh.status(), fresh.tick(),
          fresh.statusWords(), shown.attachments(), fresh.sender()));
    } else if (m.isOutgoing() && !loadedMessages.contains(m.id()) && earlyStatus.size() < 1000) {
      earlyStatus.put(m.id(), m);
    }
    if (messageInfo.messageId.get() == m.id()) {
      messageInfo.refresh();
    }
  }

  /** The group changed: its state now, and the system line the change left. */
  public void onChanged(GroupInfo now, GroupEvent event) {
    if (!opened) {
      waitForPage(() -> onChanged(now, event));
      return;
    }
    update(now);
    if (loadedEvents.add(event.id())) {
      append(systemLine(event), event.timestamp());
    }
  }

  /** A member started or stopped typing; a "started" lapses by itself if no "stopped" follows. */
  public void onTyping(GroupTyping t) {
    if (t.number().equals(me)) {
      return;
    }
    if (!t.started()) {
      typers.remove(t.number());
      updateTyping();
      return;
    }
    long generation = ++typingGeneration;
    typers.put(t.number(), generation);
    updateTyping();
    timer.schedule(() -> tasks.ui().execute(() -> {
      if (typers.getOrDefault(t.number(), -1L) == generation) {
        typers.remove(t.number());
        updateTyping();
      }
    }), ConversationViewModel.TYPING_TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  /** A message from a member could not be decrypted yet: client-core asked for the key again. Said, not hidden. */
  public void onSenderKeyProblem(SenderKeyProblem problem) {
    error.set("A message from " + nameOf(problem.senderNumber()) + " could not be decrypted yet ("
        + problem.reason() + "); it will appear when their device sends it again.");
  }

  private void waitForPage(Runnable later) {
    if (beforeOpened.size() < 10_000) {
      beforeOpened.add(later);
    }
  }

  public String nameOf(String number) {
    return number.equals(me) ? "You" : contactName.apply(number);
  }

  public boolean isTyping() {
    return !typing.get().isEmpty();
  }

  public void close() {
    closed = true;
    messageInfo.clear();
  }

  public boolean isClosed() {
    return closed;
  }

  /** Our number (known once the group has loaded). */
  String me() {
    return me;
  }

  private void update(GroupInfo g) {
    if (group.get().map(shown -> shown.revision() > g.revision()).orElse(false)) {
      return; // an event that waited for the first page carries an older state than the page's
    }
    group.set(Optional.of(g));
    title.set(g.name());
    picture.set(g.picture().filter(p -> p.state().isLocal()).map(Attachment::id));
    member.set(g.selfIsMember());
    List<String> byJoining = g.members().stream()
        .sorted(Comparator.comparingLong(GroupMember::addedAtRevision).thenComparing(GroupMember::number))
        .map(GroupMember::number).toList();
    SenderColours next = SenderColours.of(byJoining);
    boolean recolour = !me.isEmpty() && rows.size() > 0;
    colours = next;
    if (recolour) {
      recolourSenders();
    }
    info.update(g, me);
    updateTyping();
  }

  /** Membership changed: senders whose colour moved (only possible for a later joiner, see SenderColours). */
  private void recolourSenders() {
    for (int i = 0; i < rows.size(); i++) {
      if (rows.get(i) instanceof ConversationRow.Bubble b && b.sender().isPresent()) {
        ConversationRow.Sender s = b.sender().get();
        int c = colours.of(s.number());
        if (c != s.colour()) {
          rows.replace(i, new ConversationRow.Bubble(b.id(), b.outgoing(), b.text(), b.timestamp(), b.time(),
              b.status(), b.tick(), b.statusWords(), b.attachments(),
              Optional.of(new ConversationRow.Sender(s.number(), s.name(), c))));
        }
      }
    }
  }

  private void updateTyping() {
    List<String> names = typers.keySet().stream().map(this::nameOf).toList();
    typing.set(switch (names.size()) {
      case 0 -> "";
      case 1 -> names.get(0) + " is typing…";
      case 2 -> names.get(0) + " and " + names.get(1) + " are typing…";
      default -> names.size() + " people are typing…";
    });
    subtitle.set(!typing.get().isEmpty() ? typing.get() : membersLine());
  }

  /** "You, Alice Rao, Bob and 4 more"; "You are no longer a member" after leaving. */
  private String membersLine() {
    Optional<GroupInfo> g = group.get();
    if (g.isEmpty()) {
      return "";
    }
    if (!g.get().selfIsMember()) {
      return "You are no longer a member";
    }
    List<String> names = new ArrayList<>();
    if (g.get().isMember(me)) {
      names.add("You");
    }
    g.get().members().stream().map(GroupMember::number).filter(n -> !n.equals(me)).map(this::nameOf)
        .sorted(String.CASE_INSENSITIVE_ORDER).forEach(names::add);
    if (names.size() <= SUBTITLE_NAMES) {
      return String.join(", ", names);
    }
    return String.join(", ", names.subList(0, SUBTITLE_NAMES)) + " and " + (names.size() - SUBTITLE_NAMES)
        + " more";
  }

  private void append(ConversationRow row, long timestamp) {
    LocalDate day = dayOf(timestamp);
    Long last = lastTimestamp();
    if (last == null || !dayOf(last).equals(day)) {
      rows.add(new ConversationRow.Day(day, Format.day(day, today())));
    }
    rows.add(row);
  }

  private void remember(GroupHistoryEntry e) {
    if (e instanceof GroupMessage m) {
      loadedMessages.add(m.id());
    } else {
      loadedEvents.add(e.id());
    }
  }

  private boolean isLoaded(GroupHistoryEntry e) {
    return e instanceof GroupMessage ? loadedMessages.contains(e.id()) : loadedEvents.contains(e.id());
  }

  private List<ConversationRow> toRows(List<GroupHistoryEntry> entries) {
    List<ConversationRow> out = new ArrayList<>(entries.size() + 8);
    LocalDate current = null;
    LocalDate today = today();
    for (GroupHistoryEntry e : entries) {
      LocalDate day = dayOf(e.timestamp());
      if (!day.equals(current)) {
        out.add(new ConversationRow.Day(day, Format.day(day, today)));
        current = day;
      }
      out.add(e instanceof GroupMessage m ? bubble(m) : systemLine((GroupEvent) e));
    }
    return out;
  }

  private ConversationRow.Bubble bubble(GroupMessage m) {
    boolean outgoing = m.isOutgoing();
    Optional<ConversationRow.Sender> sender = outgoing ? Optional.empty()
        : Optional.of(new ConversationRow.Sender(m.senderNumber(), nameOf(m.senderNumber()),
            colours.of(m.senderNumber())));
    return new ConversationRow.Bubble(m.id(), outgoing, m.text(), m.timestamp(), Format.time(m.timestamp(), zone),
        m.status(), outgoing ? Format.tick(m.status()) : "", outgoing ? groupStatusWords(m.status()) : "",
        Attachments.items(m.attachments()), sender);
  }

  private ConversationRow.SystemLine systemLine(GroupEvent e) {
    return new ConversationRow.SystemLine(e.id(), e.timestamp(), e.describe(this::nameOf),
        Format.time(e.timestamp(), zone));
  }

  /** A group message's ticks speak for every member; the words say so, and where to see each one. */
  static String groupStatusWords(MessageStatus status) {
    return switch (status) {
      case DELIVERED -> "Delivered to everyone — click for message info";
      case READ -> "Read by everyone — click for message info";
      case SENT -> "Sent — click for message info";
      default -> Format.statusWords(status);
    };
  }

  private Long lastTimestamp() {
    for (int i = rows.size() - 1; i >= 0; i--) {
      if (rows.get(i) instanceof ConversationRow.Bubble b) {
        return b.timestamp();
      }
      if (rows.get(i) instanceof ConversationRow.SystemLine s) {
        return s.timestamp();
      }
    }
    return null;
  }

  int indexOfMessage(long messageId) {
    for (int i = rows.size() - 1; i >= 0; i--) {
      if (rows.get(i) instanceof ConversationRow.Bubble b && b.id() == messageId) {
        return i;
      }
    }
    return -1;
  }

  private void fail(String message) {
    loading = false;
    error.set(message);
  }

  private LocalDate dayOf(long millis) {
    return Instant.ofEpochMilli(millis).atZone(zone).toLocalDate();
  }

  private LocalDate today() {
    return Instant.ofEpochMilli(clock.millis()).atZone(zone).toLocalDate();
  }

  private record Loaded(String me, GroupInfo group, List<GroupHistoryEntry> history) {}
}
