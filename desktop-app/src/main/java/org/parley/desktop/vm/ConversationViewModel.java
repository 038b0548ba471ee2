package org.parley.desktop.vm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.parley.client.api.Message;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import org.parley.client.api.Presence;
import org.parley.client.api.SafetyNumber;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.attachments.AttachmentProgress;
import org.parley.client.api.attachments.OutgoingAttachment;
import org.parley.client.api.calls.CallDirection;
import org.parley.client.api.calls.CallEndReason;
import org.parley.client.api.calls.CallEntry;

/**
 * One open conversation: a page of history that grows as the person scrolls up, live messages and statuses, the
 * contact's typing and presence, the composer, the safety number and its "changed" banner; attachments: the
 * preview sheet before sending, transfers with progress, cancel and retry, pictures decoded for the screen, Open and
 * Save as.
 */
public final class ConversationViewModel {

  public static final int PAGE = 50;
  /** How long a "started typing" lasts without a new one (the sender may vanish without saying "stopped"). */
  static final long TYPING_TIMEOUT_MS = 8_000;
  /** Re-send "typing" at most this often while the person keeps typing. */
  static final long TYPING_RESEND_MS = 4_000;

  public final String number;
  public final Value<String> title;
  public final Value<String> subtitle = new Value<>("");
  public final Rows<ConversationRow> rows = new Rows<>();
  public final Value<Boolean> hasOlder = new Value<>(false);
  public final Value<Boolean> identityBanner = new Value<>(false);
  public final Value<String> error = new Value<>("");
  /** The row to scroll to (a search hit), or -1. */
  public final Value<Integer> scrollTo = new Value<>(-1);
  public final Value<Optional<SafetyNumber>> safetyNumber = new Value<>(Optional.empty());
  /** The preview sheet of files about to be sent. */
  public final AttachmentDraft draft;
  /** The location and payment request cards of the messages shown. */
  public final MessageCards cards;
  /** The "Share location" and "Request payment" sheets. */
  public final ShareLocationViewModel shareLocation;
  public final PaymentRequestViewModel requestPayment;
  /** The composer's microphone. */
  public final VoiceRecorderViewModel recorder;
  /** Plays this conversation's voice notes. */
  public final VoicePlayerViewModel player;
  /** The attachments' transfers, pictures, Open and Save as. */
  public final ConversationMedia media;

  private final ParleyClient client;
  private final Tasks tasks;
  private final Clock clock;
  private final ZoneId zone;
  private final ScheduledExecutorService timer;
  private final FileServices files;
  private final Set<Long> loadedIds = new HashSet<>();
  /** Status changes that arrived before the message they belong to (a send's result comes back after "sent"). */
  private final Map<Long, Message> earlyStatus = new HashMap<>();
  /** The oldest message shown: the cursor for the next older page (-1 while none is shown). */
  private long oldestId = -1;
  private boolean loading;
  private boolean typing;
  private long typingGeneration;
  private boolean online;
  private long lastSeen;
  private long typingSentAt;
  private boolean closed;

  public ConversationViewModel(String number, String name, boolean identityChanged, ParleyClient client, Tasks tasks,
      Clock clock, ZoneId zone, ScheduledExecutorService timer) {
    this(number, name, identityChanged, client, tasks, clock, zone, timer, new FileServices(tasks, file -> {
      throw new IOException("Opening files is not available here");
    }));
  }

  public ConversationViewModel(String number, String name, boolean identityChanged, ParleyClient client, Tasks tasks,
      Clock clock, ZoneId zone, ScheduledExecutorService timer, FileServices files) {
    this(number, name, identityChanged, client, tasks, clock, zone, timer, files, VoiceDevices.NONE);
  }

  public ConversationViewModel(String number, String name, boolean identityChanged, ParleyClient client, Tasks tasks,
      Clock clock, ZoneId zone, ScheduledExecutorService timer, FileServices files, VoiceDevices voice) {
    this.number = number;
    this.files = files;
    this.draft = new AttachmentDraft(this::sendAttachments, files);
    this.title = new Value<>(name);
    this.client = client;
    this.tasks = tasks;
    this.clock = clock;
    this.zone = zone;
    this.timer = timer;
    this.identityBanner.set(identityChanged);
    this.cards = new MessageCards(client, tasks);
    this.shareLocation = new ShareLocationViewModel(number, client, tasks, this::onMessage);
    this.requestPayment = new PaymentRequestViewModel(number, client, tasks, this::onMessage);
    this.recorder = new VoiceRecorderViewModel(voice.microphone(),
        () -> files.local().newDirectory().resolve("voice-note.wav"), this::sendVoiceNote, tasks.ui(), clock);
    this.media = new ConversationMedia(rows, client, tasks, files, voice, this::fail);
    this.player = media.player;
  }

  /** Loads the newest page (or enough to show {@code focusMessageId}) and the contact's presence. */
  public void open(Optional<Long> focusMessageId) {
    loading = true;
    tasks.run(() -> {
      List<Message> page = client.history(number, PAGE);
      boolean more = page.size() == PAGE;
      List<Message> shown = new ArrayList<>(page);
      // Page back with the cursor (each page costs the same however far back) until the search hit is loaded.
      while (focusMessageId.isPresent() && more && shown.stream().noneMatch(m -> m.id() == focusMessageId.get())) {
        List<Message> older = client.history(number, shown.get(0).id(), PAGE * 4);
        more = older.size() == PAGE * 4;
        shown.addAll(0, older);
      }
      return new Page(shown, more);
    }, page -> {
      loading = false;
      loadedIds.clear();
      page.messages.forEach(m -> loadedIds.add(m.id()));
      oldestId = page.messages.isEmpty() ? -1 : page.messages.get(0).id();
      rows.reset(toRows(page.messages));
      hasOlder.set(page.more);
      focusMessageId.ifPresent(id -> scrollTo.set(indexOf(id)));
    }, this::fail);
    tasks.run(() -> client.presence(number), this::onPresence, message -> { });
  }

  /** Loads the page before the oldest shown message (when the person scrolls to the top). */
  public void loadOlder() {
    if (loading || !hasOlder.get() || oldestId < 0) {
      return;
    }
    loading = true;
    long before = oldestId;
    tasks.run(() -> client.history(number, before, PAGE), page -> {
      loading = false;
      List<Message> older = new ArrayList<>();
      for (Message m : page) {
        if (!loadedIds.contains(m.id())) {
          older.add(m);
        }
      }
      hasOlder.set(page.size() == PAGE);
      if (older.isEmpty()) {
        return;
      }
      older.forEach(m -> loadedIds.add(m.id()));
      oldestId = older.get(0).id();
      List<ConversationRow> add = toRows(older);
      if (rows.size() > 0 && rows.get(0) instanceof ConversationRow.Day first
          && first.date().equals(dayOf(older.get(older.size() - 1)))) {
        rows.remove(0);
      }
      rows.insert(0, add);
    }, this::fail);
  }

  /** Sends the composer's text; blank text is ignored. */
  public void send(String text) {
    if (text == null || text.isBlank()) {
      return;
    }
    String body = text.strip();
    typingSentAt = 0;
    tasks.run(() -> {
      Message m = client.send(number, body);
      try {
        client.sendTyping(number, false);
      } catch (ParleyException ignored) {
        // typing is best effort
      }
      return m;
    }, this::onMessage, this::fail);
  }

  /** Sends a failed message again as a new message and hides the failed one. */
  public void retry(long messageId) {
    int index = indexOf(messageId);
    if (index < 0 || !(rows.get(index) instanceof ConversationRow.Bubble b) || !b.failed()) {
      return;
    }
    if (!b.attachments().isEmpty()) {
      // The files are still in the local store: try their uploads again, the message goes once they are up.
      b.attachments().stream().filter(AttachmentItem::canRetry).forEach(a -> retryTransfer(a.id()));
      return;
    }
    rows.remove(index);
    send(b.text());
  }

  /** Sends files from the preview sheet as one message with {@code caption}; pasted pictures are deleted after. */
  void sendAttachments(List<DraftItem> items, String caption) {
    typingSentAt = 0;
    List<OutgoingAttachment> outgoing = items.stream().map(i -> OutgoingAttachment.of(i.file())).toList();
    // The file thread: client-core copies (encrypts) every file into its store before send returns.
    files.tasks().run(() -> {
      try {
        return client.send(number, caption, outgoing);
      } finally {
        for (DraftItem i : items) {
          if (i.temporary()) {
            deleteQuietly(i.file());
          }
        }
      }
    }, this::onMessage, this::fail);
  }

  /** A finished recording: client-core encodes and sends it (on the file thread); the WAV is deleted after. */
  private void sendVoiceNote(Path wav) {
    typingSentAt = 0;
    files.tasks().run(() -> {
      try {
        return client.sendVoiceNote(number, wav);
      } finally {
        deleteQuietly(wav);
        deleteQuietly(wav.getParent());
      }
    }, this::onMessage, this::fail);
  }

  /** Transfers, pictures, Open and Save as of this conversation's attachments (shared with group conversations). */
  public void download(long attachmentId) {
    media.download(attachmentId);
  }

  public void cancelTransfer(long attachmentId) {
    media.cancelTransfer(attachmentId);
  }

  public void retryTransfer(long attachmentId) {
    media.retryTransfer(attachmentId);
  }

  public void picture(long attachmentId, int maxWidth, int maxHeight, Consumer<Pixels> done, Consumer<String> failed) {
    media.picture(attachmentId, maxWidth, maxHeight, done, failed);
  }

  public void openAttachment(long attachmentId) {
    media.openAttachment(attachmentId);
  }

  public void saveAttachment(long attachmentId, Path target, Consumer<Path> done) {
    media.saveAttachment(attachmentId, target, done);
  }

  public Optional<AttachmentItem> attachmentItem(long attachmentId) {
    return media.attachmentItem(attachmentId);
  }

  public void onAttachmentProgress(AttachmentProgress p) {
    media.onAttachmentProgress(p);
  }

  public void onAttachmentChanged(Attachment a) {
    media.onAttachmentChanged(a);
  }

  /** A message deleted on this device (here or by another window): its row goes. */
  public void onMessageDeleted(long messageId) {
    int index = indexOf(messageId);
    if (index >= 0) {
      rows.remove(index);
      loadedIds.remove(messageId);
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException ignored) {
      // the private directory is cleared at exit
    }
  }

  /** The composer changed: tells the contact we are typing (throttled) or stopped. */
  public void composerChanged(String text) {
    long now = clock.millis();
    boolean empty = text == null || text.isBlank();
    if (empty && typingSentAt > 0) {
      typingSentAt = 0;
      tasks.run(() -> {
        client.sendTyping(number, false);
        return null;
      }, x -> { }, x -> { });
    } else if (!empty && now - typingSentAt >= TYPING_RESEND_MS) {
      typingSentAt = now;
      tasks.run(() -> {
        client.sendTyping(number, true);
        return null;
      }, x -> { }, x -> { });
    }
  }

  /** A new message in this conversation (incoming, or one we just sent). */
  public void onMessage(Message message) {
    Message early = earlyStatus.remove(message.id());
    Message m = early != null && early.status().isAfter(message.status()) ? early : message;
    if (!loadedIds.add(m.id())) {
      onStatus(m);
      return;
    }
    if (m.direction() == Message.Direction.INCOMING && !m.isCall()) {
      setTyping(false);
    }
    LocalDate day = dayOf(m);
    Long last = lastTimestamp();
    if (last == null || !dayOf(last).equals(day)) {
      rows.add(new ConversationRow.Day(day, Format.day(day, today())));
    }
    rows.add(row(m));
    if (oldestId < 0) {
      oldestId = m.id();
    }
  }

  public void onStatus(Message m) {
    if (m.isCall()) {
      // An outgoing call's entry is announced as a status change when the call ends.
      if (m.contactNumber().equals(number) && !loadedIds.contains(m.id())) {
        onMessage(m);
      }
      return;
    }
    int index = indexOf(m.id());
    if (index >= 0) {
      ConversationRow.Bubble shown = (ConversationRow.Bubble) rows.get(index);
      if (m.status() == shown.status() || !m.status().isAfter(shown.status()) && m.status() != MessageStatus.FAILED) {
        return;
      }
      rows.replace(index, withShownAttachments(bubble(m), shown));
    } else if (m.direction() == Message.Direction.OUTGOING && m.contactNumber().equals(number)
        && !loadedIds.contains(m.id()) && earlyStatus.size() < 1000) {
      // Only our own just-sent messages can be ahead of their row; statuses of older, unloaded messages are
      // read from the database when their page loads.
      earlyStatus.put(m.id(), m);
    }
  }

  public void onTyping(boolean started) {
    setTyping(started);
    if (started) {
      long generation = typingGeneration;
      timer.schedule(() -> tasks.ui().execute(() -> {
        if (typingGeneration == generation) {
          setTyping(false);
        }
      }), TYPING_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }
  }

  public void onPresence(Presence p) {
    online = p.online();
    lastSeen = p.lastSeen();
    updateSubtitle();
  }

  public void onIdentityChanged() {
    identityBanner.set(true);
    if (safetyNumber.get().isPresent()) {
      showSafetyNumber();
    }
  }

  public void dismissBanner() {
    identityBanner.set(false);
  }

  public void showSafetyNumber() {
    tasks.run(() -> client.safetyNumber(number), sn -> safetyNumber.set(Optional.of(sn)), this::fail);
  }

  public void hideSafetyNumber() {
    safetyNumber.set(Optional.empty());
  }

  public void rename(String name) {
    title.set(name == null || name.isBlank() ? number : name.strip());
  }

  public boolean isTyping() {
    return typing;
  }

  public void close() {
    closed = true;
    recorder.close();
    player.close();
  }

  public boolean isClosed() {
    return closed;
  }

  private void setTyping(boolean on) {
    typingGeneration++;
    typing = on;
    updateSubtitle();
  }

  private void updateSubtitle() {
    subtitle.set(Format.presence(typing, online, lastSeen, clock.millis(), zone));
  }

  private void fail(String message) {
    loading = false;
    error.set(message);
  }

  /** The time of the newest message or call entry shown, or null. */
  private Long lastTimestamp() {
    for (int i = rows.size() - 1; i >= 0; i--) {
      if (rows.get(i) instanceof ConversationRow.Bubble b) {
        return b.timestamp();
      }
      if (rows.get(i) instanceof ConversationRow.CallEntry c) {
        return c.timestamp();
      }
    }
    return null;
  }

  int indexOf(long messageId) {
    for (int i = rows.size() - 1; i >= 0; i--) {
      if (rows.get(i) instanceof ConversationRow.Bubble b && b.id() == messageId) {
        return i;
      }
    }
    return -1;
  }

  private List<ConversationRow> toRows(List<Message> messages) {
    List<ConversationRow> out = new ArrayList<>(messages.size() + 8);
    LocalDate current = null;
    LocalDate today = today();
    for (Message m : messages) {
      LocalDate day = dayOf(m);
      if (!day.equals(current)) {
        out.add(new ConversationRow.Day(day, Format.day(day, today)));
        current = day;
      }
      out.add(row(m));
    }
    return out;
  }

  private ConversationRow row(Message m) {
    cards.remember(m);
    if (m.call().isPresent()) {
      CallEntry entry = m.call().get();
      String kind = entry.missed() ? "missed"
          : entry.endReason() == CallEndReason.DECLINED ? "declined"
          : entry.direction() == CallDirection.OUTGOING ? "outgoing" : "incoming";
      return new ConversationRow.CallEntry(m.id(), m.timestamp(), m.text(), Format.time(m.timestamp(), zone), kind);
    }
    return bubble(m);
  }

  private ConversationRow.Bubble bubble(Message m) {
    boolean outgoing = m.direction() == Message.Direction.OUTGOING;
    MessageStatus status = m.status();
    return new ConversationRow.Bubble(m.id(), outgoing, m.text(), m.timestamp(), Format.time(m.timestamp(), zone),
        status, outgoing ? Format.tick(status) : "", outgoing ? Format.statusWords(status) : "",
        Attachments.items(m.attachments()));
  }

  /**
   * A status change carries the message as stored; attachment states that moved on since (events arrive on other
   * threads) stay as shown.
   */
  private static ConversationRow.Bubble withShownAttachments(ConversationRow.Bubble fresh,
      ConversationRow.Bubble shown) {
    if (fresh.attachments().isEmpty() && !shown.attachments().isEmpty()) {
      return new ConversationRow.Bubble(fresh.id(), fresh.outgoing(), fresh.text(), fresh.timestamp(), fresh.time(),
          fresh.status(), fresh.tick(), fresh.statusWords(), shown.attachments());
    }
    return fresh;
  }

  private LocalDate dayOf(Message m) {
    return dayOf(m.timestamp());
  }

  private LocalDate dayOf(long millis) {
    return Instant.ofEpochMilli(millis).atZone(zone).toLocalDate();
  }

  private LocalDate today() {
    return Instant.ofEpochMilli(clock.millis()).atZone(zone).toLocalDate();
  }

  private record Page(List<Message> messages, boolean more) {}
}
