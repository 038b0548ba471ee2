package org.parley.desktop.vm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import org.parley.client.api.AccountInfo;
import org.parley.client.api.BacklogProgress;
import org.parley.client.api.DeviceRevoked;
import org.parley.client.api.IdentityChange;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.Message;
import org.parley.client.api.MessageStatus;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import org.parley.client.api.ParleyListener;
import org.parley.client.api.Presence;
import org.parley.client.api.Typing;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.attachments.AttachmentProgress;
import org.parley.client.api.groups.GroupEvent;
import org.parley.client.api.groups.GroupId;
import org.parley.client.api.groups.GroupInfo;
import org.parley.client.api.groups.GroupMessage;
import org.parley.client.api.groups.GroupMessageInfo;
import org.parley.client.api.groups.GroupProblem;
import org.parley.client.api.groups.GroupTyping;
import org.parley.client.api.groups.SenderKeyProblem;
import org.parley.client.api.payments.PaymentRequestEntry;
import org.parley.desktop.settings.SettingsStore;

/**
 * The main window: the chat list, the open conversation, panels (settings, new chat, safety number), the window
 * title with the unread count, notifications, and keyboard navigation. Client events arrive on client threads and
 * are handed to the ui executor here.
 */
public final class MainViewModel {

  /** The panel over the conversation, closed by Esc. */
  public enum Panel {
    NONE, SETTINGS, NEW_CHAT, SAFETY_NUMBER, RENAME, NEW_GROUP, GROUP_INFO, MESSAGE_INFO
  }

  public final ChatListViewModel chatList;
  public final SettingsViewModel settings;
  /** Calls: the call windows and the Settings' microphone/speaker choice. */
  public final CallViewModel calls;
  public final AudioSettingsViewModel audioSettings;
  public final Value<Optional<ConversationViewModel>> current = new Value<>(Optional.empty());
  /** The open group conversation; at most one of it and {@link #current} is set. */
  public final Value<Optional<GroupConversationViewModel>> currentGroup = new Value<>(Optional.empty());
  public final NewGroupViewModel newGroup;
  public final Value<Panel> panel = new Value<>(Panel.NONE);
  public final Value<String> windowTitle = new Value<>("Parley");
  public final Value<String> connection = new Value<>("Connecting…");
  /**
   * While messages that waited on the server arrive after connecting: "Receiving 3,412 messages…" (the count so
   * far; the server does not say how many wait); empty otherwise.
   */
  public final Value<String> backlog = new Value<>("");
  public final Value<Country> newChatCountry = new Value<>(Country.ALL.get(0));
  public final Value<String> newChatError = new Value<>("");
  public final Value<Boolean> newChatBusy = new Value<>(false);
  /**
   * Set once the server has revoked this computer's credentials (unlinked by the phone, or the number registered
   * again): the window replaces everything with the "unlinked" screen. The client no longer reconnects.
   */
  public final Value<Optional<Unlinked>> unlinked = new Value<>(Optional.empty());

  private final ParleyClient client;
  private final SettingsStore store;
  private final Tasks tasks;
  private final Clock clock;
  private final ZoneId zone;
  private final ScheduledExecutorService timer;
  private final Notifier notifier;
  private final ParleyListener listener = new Listener();
  /** File work for attachments (decoding, copies, big sends), so the client's thread stays free for messages. */
  private final ExecutorService fileThread = Executors.newSingleThreadExecutor(r -> {
    Thread t = new Thread(r, "parley-files");
    t.setDaemon(true);
    return t;
  });
  private volatile Opener opener = file -> {
    throw new IOException("No application to open files with");
  };
  private final FileServices files;
  private VoiceDevices voiceDevices = VoiceDevices.NONE;
  private volatile boolean focused = true;

  public MainViewModel(ParleyClient client, SettingsStore store, Tasks tasks, Clock clock, ZoneId zone,
      ScheduledExecutorService timer, Notifier notifier) {
    this(client, store, tasks, clock, zone, timer, notifier, CallAudio.silent("no sound configured"));
  }

  public MainViewModel(ParleyClient client, SettingsStore store, Tasks tasks, Clock clock, ZoneId zone,
      ScheduledExecutorService timer, Notifier notifier, CallAudio audio) {
    this(client, store, tasks, clock, zone, timer, notifier, audio, CallCamera.system(client::calls));
  }

  public MainViewModel(ParleyClient client, SettingsStore store, Tasks tasks, Clock clock, ZoneId zone,
      ScheduledExecutorService timer, Notifier notifier, CallAudio audio, CallCamera camera) {
    this.client = client;
    this.store = store;
    this.tasks = tasks;
    this.clock = clock;
    this.zone = zone;
    this.timer = timer;
    this.notifier = notifier;
    this.chatList = new ChatListViewModel(client, store, tasks, clock, zone);
    this.settings = new SettingsViewModel(client, store, tasks);
    this.files = new FileServices(new Tasks(fileThread, tasks.ui()), this::openWithDesktop);
    this.calls = new CallViewModel(client, audio, camera, chatList::nameOf, tasks, clock, timer);
    this.audioSettings = new AudioSettingsViewModel(audio, tasks);
    this.newGroup = new NewGroupViewModel(client, tasks, g -> {
      chatList.refresh();
      openGroup(g.id(), g.name());
    });
    // Message info follows receipts while it is shown; however the panel goes, it stops.
    panel.observe(p -> {
      if (p != Panel.MESSAGE_INFO) {
        currentGroup.get().ifPresent(g -> g.messageInfo.clear());
      }
    });
    chatList.unreadTotal.observe(n -> windowTitle.set(n > 0 ? "(" + n + ") Parley" : "Parley"));
  }

  /** Subscribes to the client, connects, and loads the chat list. */
  public void start() {
    client.addListener(listener);
    calls.start();
    // The chat list first: it is what the person waits for.
    chatList.refresh();
    settings.load();
    tasks.run(() -> {
      client.connect();
      return null;
    }, x -> { }, connection::set);
  }

  public void stop() {
    client.removeListener(listener);
    calls.stop();
    fileThread.shutdownNow();
    files.clear();
  }

  /** The microphone and speaker voice notes use (the app's Java Sound ones; none until set). */
  public void setVoiceDevices(VoiceDevices devices) {
    this.voiceDevices = devices;
  }

  /** How Open hands a file to the desktop (the view supplies the desktop's way; tests a recording one). */
  public void setOpener(Opener opener) {
    this.opener = opener;
  }

  private void openWithDesktop(Path file) throws IOException {
    opener.open(file);
  }

  private void savePayee(PaymentRequestViewModel.Payee payee) {
    tasks.run(() -> {
      try {
        store.setPayee(new SettingsStore.Payee(payee.upiId(), payee.name()));
      } catch (IOException e) {
        throw new ParleyException("Cannot save your UPI ID for the next request: " + e.getMessage(), e);
      }
      return null;
    }, x -> { }, settings.error::set);
  }

  /**
   * Opens a conversation, at {@code focus} (a search hit) or at its newest messages. {@code key} is a chat's key: a
   * number, or a group's id.
   */
  public void open(String key, Optional<Long> focus) {
    if (!key.startsWith("+")) {
      try {
        GroupId id = GroupId.parse(key);
        openGroup(id, chatList.chat(key).map(ChatSummary::name).orElse("Group"), focus);
      } catch (InvalidInputException e) {
        chatList.error.set(e.getMessage());
      }
      return;
    }
    String number = key;
    Optional<ConversationViewModel> open = current.get();
    if (open.isPresent() && open.get().number.equals(number) && focus.isEmpty()) {
      return;
    }
    open.ifPresent(ConversationViewModel::close);
    closeGroup();
    boolean changed = chatList.chats.get().stream()
        .anyMatch(c -> c.number().equals(number) && c.identityChanged());
    ConversationViewModel conversation = new ConversationViewModel(number, chatList.nameOf(number), changed, client,
        tasks, clock, zone, timer, files, voiceDevices);
    conversation.requestPayment.rememberPayee(
        store.payee().map(p -> new PaymentRequestViewModel.Payee(p.upiId(), p.name())), this::savePayee);
    current.set(Optional.of(conversation));
    panel.set(Panel.NONE);
    conversation.open(focus);
    markRead(number);
  }

  /** Opens a group conversation at its newest lines. */
  public void openGroup(GroupId id, String name) {
    openGroup(id, name, Optional.empty());
  }

  /** Decodes a stored picture (a group's, for its avatar) scaled to fit, on the file thread. */
  public void picture(long attachmentId, int maxWidth, int maxHeight, Consumer<Pixels> done, Consumer<String> failed) {
    files.tasks().run(() -> {
      try (InputStream in = client.openAttachment(attachmentId)) {
        return Pictures.decode(in, maxWidth, maxHeight);
      } catch (IOException e) {
        throw new ParleyException("Cannot show the picture: " + e.getMessage(), e);
      }
    }, done, failed);
  }

  /** Opens a group conversation at one of its messages (a search hit), or at its newest lines. */
  public void openGroup(GroupId id, String name, Optional<Long> focus) {
    Optional<GroupConversationViewModel> open = currentGroup.get();
    if (open.isPresent() && open.get().groupId.equals(id) && focus.isEmpty()) {
      panel.set(Panel.NONE);
      return;
    }
    current.get().ifPresent(ConversationViewModel::close);
    current.set(Optional.empty());
    closeGroup();
    GroupConversationViewModel group = new GroupConversationViewModel(id, name, client, tasks, clock, zone, timer,
        chatList::nameOf, () -> store.settings().profileName(), files, voiceDevices);
    currentGroup.set(Optional.of(group));
    panel.set(Panel.NONE);
    group.open(focus);
    markGroupRead(id);
  }

  private void closeGroup() {
    currentGroup.get().ifPresent(GroupConversationViewModel::close);
    currentGroup.set(Optional.empty());
  }

  /** The key of the open chat (a number or a group's id), or "" when none is open. */
  public String currentKey() {
    return current.get().map(c -> c.number)
        .orElseGet(() -> currentGroup.get().map(g -> g.groupId.value()).orElse(""));
  }

  /** "Message info" of one of our messages in the open group. */
  public void showMessageInfo(long groupMessageId) {
    currentGroup.get().ifPresent(g -> {
      g.messageInfo.show(groupMessageId);
      panel.set(Panel.MESSAGE_INFO);
    });
  }

  /** Ctrl+Up / Ctrl+Down. */
  public void openNeighbour(int direction) {
    String from = currentKey();
    String to = chatList.neighbour(from, direction);
    if (to != null) {
      open(to, Optional.empty());
    }
  }

  /** Starts a chat with the number typed in the "new chat" panel, once the server knows it. */
  public void startChat(String typed) {
    String number;
    try {
      number = newChatCountry.get().toE164(typed);
    } catch (IllegalArgumentException e) {
      newChatError.set(e.getMessage());
      return;
    }
    newChatError.set("");
    newChatBusy.set(true);
    tasks.run(() -> {
      if (number.equals(client.account().number())) {
        throw new InvalidInputException("That is your own number");
      }
      return client.presence(number);
    }, presence -> {
      newChatBusy.set(false);
      chatList.addDraft(number);
      open(number, Optional.empty());
      current.get().ifPresent(c -> c.onPresence(presence));
    }, message -> {
      newChatBusy.set(false);
      newChatError.set(message);
    });
  }

  /** Acknowledges the changed safety number of the open conversation: the banner goes. */
  public void acknowledgeIdentity() {
    current.get().ifPresent(c -> {
      c.dismissBanner();
      String number = c.number;
      tasks.run(() -> {
        long at = client.safetyNumber(number).identityChangedAt().orElse(0L);
        try {
          store.setIdentitySeen(number, at);
        } catch (IOException e) {
          throw new ParleyException("Cannot save: " + e.getMessage(), e);
        }
        return null;
      }, x -> chatList.refresh(), c.error::set);
    });
  }

  public void showPanel(Panel p) {
    if (p == Panel.SAFETY_NUMBER) {
      current.get().ifPresent(ConversationViewModel::showSafetyNumber);
    }
    if (p == Panel.NEW_CHAT) {
      newChatError.set("");
    }
    if (p == Panel.NEW_GROUP) {
      newGroup.open(chatList.people());
    }
    if (p == Panel.GROUP_INFO) {
      if (currentGroup.get().isEmpty()) {
        return;
      }
      currentGroup.get().get().info.cancelAdding();
      currentGroup.get().get().info.cancelLeave();
      currentGroup.get().get().info.error.set("");
    }
    panel.set(p);
  }

  /** Esc: closes the panel, else clears the search. */
  public void escape() {
    Optional<ConversationViewModel> open = current.get();
    if (open.isPresent() && open.get().recorder.recording()) {
      // Escape throws a voice note being recorded away before it closes anything else.
      open.get().recorder.cancel();
    } else if (panel.get() != Panel.NONE) {
      panel.set(Panel.NONE);
      current.get().ifPresent(ConversationViewModel::hideSafetyNumber);
    } else if (!chatList.query.get().isEmpty()) {
      chatList.search("");
    }
  }

  /** Renames the open conversation's contact (a local name; blank shows the number again). */
  public void renameCurrent(String name) {
    current.get().ifPresent(c -> {
      try {
        store.setContactName(c.number, name);
      } catch (IOException e) {
        c.error.set("Cannot save the name: " + e.getMessage());
        return;
      }
      c.rename(name);
      panel.set(Panel.NONE);
      chatList.refresh();
    });
  }

  /** The window gained or lost focus; coming back marks the open conversation read. */
  public void setFocused(boolean on) {
    focused = on;
    if (on) {
      current.get().ifPresent(c -> markRead(c.number));
      currentGroup.get().ifPresent(g -> markGroupRead(g.groupId));
    }
  }

  private void markRead(String number) {
    tasks.run(() -> client.markRead(number), n -> chatList.refresh(), x -> { });
  }

  private void markGroupRead(GroupId id) {
    tasks.run(() -> client.markGroupRead(id), n -> chatList.refresh(), x -> { });
  }

  private Optional<GroupConversationViewModel> openGroupOf(GroupId id) {
    return currentGroup.get().filter(g -> g.groupId.equals(id));
  }

  private void onGroupMessage(GroupMessage m) {
    Optional<GroupConversationViewModel> open = openGroupOf(m.groupId());
    open.ifPresent(g -> g.onMessage(m));
    if (!m.isOutgoing()) {
      if (open.isPresent() && focused) {
        markGroupRead(m.groupId());
      } else if (store.settings().notifications() && !focused) {
        String group = chatList.chat(m.groupId().value()).map(ChatSummary::name).orElse("Group");
        notifier.notify(group, chatList.nameOf(m.senderNumber()) + ": " + Format.preview(m.text()),
            () -> openGroup(m.groupId(), group));
      }
    }
    chatList.refresh();
  }

  private boolean isOpen(String number) {
    return current.get().map(c -> c.number.equals(number)).orElse(false);
  }

  private void onMessage(Message m) {
    boolean open = isOpen(m.contactNumber());
    if (open) {
      current.get().get().onMessage(m);
    }
    if (m.direction() == Message.Direction.INCOMING) {
      if (open && focused) {
        markRead(m.contactNumber());
      } else if (!focused || !open) {
        if (store.settings().notifications() && !focused) {
          String from = chatList.nameOf(m.contactNumber());
          notifier.notify(from, Format.preview(Attachments.preview(m.text(), m.attachments())), () -> open(m.contactNumber(), Optional.empty()));
        }
      }
    }
    chatList.refresh();
  }

  /** What the chat list says while a backlog drains: empty when done. */
  static String backlogText(BacklogProgress progress) {
    if (progress.done()) {
      return "";
    }
    return String.format(Locale.ROOT, "Receiving %,d message%s…", progress.received(),
        progress.received() == 1 ? "" : "s");
  }

  private final class Listener implements ParleyListener {
    @Override
    public void messageReceived(Message message) {
      tasks.ui().execute(() -> onMessage(message));
    }

    @Override
    public void statusChanged(Message message) {
      tasks.ui().execute(() -> {
        if (isOpen(message.contactNumber())) {
          current.get().get().onStatus(message);
        }
        if (message.direction() == Message.Direction.OUTGOING && message.status() == MessageStatus.SENT) {
          chatList.refresh(); // our message is now the chat's last one
        }
      });
    }

    @Override
    public void attachmentProgress(AttachmentProgress progress) {
      tasks.ui().execute(() -> {
        if (isOpen(progress.contactNumber())) {
          current.get().get().onAttachmentProgress(progress);
        }
        currentGroup.get().filter(g -> g.groupId.value().equals(progress.contactNumber()))
            .ifPresent(g -> g.onAttachmentProgress(progress));
      });
    }

    @Override
    public void paymentChanged(PaymentRequestEntry payment) {
      tasks.ui().execute(() -> {
        if (isOpen(payment.contactNumber())) {
          current.get().get().cards.paymentChanged(payment);
        }
      });
    }

    @Override
    public void attachmentChanged(Attachment attachment) {
      // The event does not name the conversation: the open one ignores attachments it does not show.
      tasks.ui().execute(() -> {
        if (attachment.inGroup()) {
          currentGroup.get().ifPresent(g -> g.onAttachmentChanged(attachment));
          if (attachment.messageId() == 0 && attachment.state().isLocal()) {
            chatList.refresh(); // a group's new picture: its avatar in the list
          }
        } else {
          current.get().ifPresent(c -> c.onAttachmentChanged(attachment));
        }
      });
    }

    @Override
    public void messageDeleted(String number, long messageId) {
      tasks.ui().execute(() -> {
        if (isOpen(number)) {
          current.get().get().onMessageDeleted(messageId);
        }
        chatList.refresh();
      });
    }

    @Override
    public void conversationRead(String number, int count) {
      tasks.ui().execute(chatList::refresh); // one event per markRead, however many messages it read
    }

    @Override
    public void typing(Typing typing) {
      tasks.ui().execute(() -> {
        if (isOpen(typing.number())) {
          current.get().get().onTyping(typing.started());
        }
      });
    }

    @Override
    public void groupMessageReceived(GroupMessage message) {
      tasks.ui().execute(() -> onGroupMessage(message));
    }

    @Override
    public void groupStatusChanged(GroupMessage message) {
      tasks.ui().execute(() -> {
        openGroupOf(message.groupId()).ifPresent(g -> g.onStatus(message));
        if (message.status() == MessageStatus.SENT) {
          chatList.refresh();
        }
      });
    }

    @Override
    public void groupMessageInfoChanged(GroupMessageInfo info) {
      tasks.ui().execute(() -> openGroupOf(info.message().groupId()).ifPresent(g -> g.messageInfo.onChanged(info)));
    }

    @Override
    public void groupChanged(GroupInfo group, GroupEvent event) {
      tasks.ui().execute(() -> {
        openGroupOf(group.id()).ifPresent(g -> g.onChanged(group, event));
        chatList.refresh();
      });
    }

    @Override
    public void groupRead(GroupId groupId, int count) {
      tasks.ui().execute(chatList::refresh);
    }

    @Override
    public void groupTyping(GroupTyping typing) {
      tasks.ui().execute(() -> openGroupOf(typing.groupId()).ifPresent(g -> g.onTyping(typing)));
    }

    @Override
    public void senderKeyProblem(SenderKeyProblem problem) {
      tasks.ui().execute(() -> problem.groupId().flatMap(id -> openGroupOf(id))
          .ifPresent(g -> g.onSenderKeyProblem(problem)));
    }

    @Override
    public void groupProblem(GroupProblem problem) {
      tasks.ui().execute(() -> openGroupOf(problem.groupId()).ifPresent(g -> g.error.set(problem.reason())));
    }

    @Override
    public void presence(Presence presence) {
      tasks.ui().execute(() -> {
        if (isOpen(presence.number())) {
          current.get().get().onPresence(presence);
        }
      });
    }

    @Override
    public void identityChanged(IdentityChange change) {
      tasks.ui().execute(() -> {
        if (isOpen(change.number())) {
          current.get().get().onIdentityChanged();
        }
        chatList.refresh();
      });
    }

    @Override
    public void backlogProgress(BacklogProgress progress) {
      tasks.ui().execute(() -> backlog.set(backlogText(progress)));
    }

    @Override
    public void connection(boolean connected, String reason) {
      tasks.ui().execute(() -> {
        if (unlinked.get().isEmpty()) {
          connection.set(connected ? "" : "Offline — reconnecting… " + reason);
        }
      });
    }

    @Override
    public void deviceRevoked(DeviceRevoked revoked) {
      int deviceId;
      String number;
      try {
        AccountInfo me = client.account();
        deviceId = me.deviceId();
        number = me.number();
      } catch (ParleyException | RuntimeException e) {
        deviceId = 0;
        number = "";
      }
      Unlinked screen = Unlinked.of(revoked, deviceId, number);
      tasks.ui().execute(() -> {
        connection.set("Not linked: " + revoked.serverMessage());
        panel.set(Panel.NONE);
        unlinked.set(Optional.of(screen));
      });
    }
  }
}
