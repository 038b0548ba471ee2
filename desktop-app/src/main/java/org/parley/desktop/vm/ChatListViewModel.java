package org.parley.desktop.vm;

import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.parley.client.api.Contact;
import org.parley.client.api.Message;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import org.parley.client.api.SearchResult;
import org.parley.client.api.attachments.Attachment;
import org.parley.client.api.groups.GroupInfo;
import org.parley.client.api.groups.GroupMessage;
import org.parley.desktop.settings.SettingsStore;

/**
 * The chat list: every conversation (contacts and groups) newest first, filtered by the search box, plus messages
 * that match it.
 */
public final class ChatListViewModel {

  static final int MAX_HITS = 50;

  static final String NO_CHATS = "No chats yet.\nStart one with \u270E (Ctrl+N).";

  public final Value<List<ChatSummary>> chats = new Value<>(List.of());
  public final Value<String> query = new Value<>("");
  public final Value<List<SearchHit>> hits = new Value<>(List.of());
  public final Value<Integer> unreadTotal = new Value<>(0);
  public final Value<String> error = new Value<>("");
  /** What the list says while it shows no chat: that there are none yet, or that none matches the search. */
  public final Value<String> emptyText = new Value<>(NO_CHATS);

  private final ParleyClient client;
  private final SettingsStore settings;
  private final Tasks tasks;
  private final Clock clock;
  private final ZoneId zone;
  /** Chats started with "new chat" that have no message yet. */
  private final Set<String> drafts = new CopyOnWriteArraySet<>();
  private List<ChatSummary> all = List.of();
  private long searchGeneration;

  public ChatListViewModel(ParleyClient client, SettingsStore settings, Tasks tasks, Clock clock, ZoneId zone) {
    this.client = client;
    this.settings = settings;
    this.tasks = tasks;
    this.clock = clock;
    this.zone = zone;
  }

  /** Set while a refresh waits on the io thread: a burst of messages then costs one reload, not one each. */
  private final AtomicBoolean refreshQueued = new AtomicBoolean();

  /** Reloads the list from the local database. */
  public void refresh() {
    if (!refreshQueued.compareAndSet(false, true)) {
      return;
    }
    tasks.run(() -> {
      refreshQueued.set(false);
      List<String> draftNumbers = List.copyOf(drafts);
      List<ChatSummary> out = new ArrayList<>();
      Set<String> seen = new LinkedHashSet<>();
      long now = clock.millis();
      for (Contact c : client.contacts()) {
        String preview = c.lastMessage().map(m -> (m.direction() == Message.Direction.OUTGOING ? "You: " : "")
            + Format.preview(Attachments.preview(m.text(), m.attachments()))).orElse("");
        long changed = c.identityChangedAt().orElse(0L);
        String name = nameOf(c.number());
        out.add(new ChatSummary(c.number(), name, Format.initials(name), preview, c.lastActivity(),
            Format.listTime(c.lastActivity(), now, zone), c.unread(), changed > settings.identitySeen(c.number())));
        seen.add(c.number());
      }
      out.addAll(groupChats(now));
      for (String d : draftNumbers) {
        if (!seen.contains(d)) {
          String name = nameOf(d);
          out.add(new ChatSummary(d, name, Format.initials(name), "", now, "", 0, false));
        }
      }
      out.sort(Comparator.comparingLong(ChatSummary::lastActivity).reversed());
      return out;
    }, list -> {
      all = list;
      unreadTotal.set(list.stream().mapToInt(ChatSummary::unread).sum());
      applyFilter();
    }, error::set);
  }

  /**
   * The groups this device knows, also those we left. A failure to read them leaves the contacts listed and says
   * why.
   */
  private List<ChatSummary> groupChats(long now) {
    List<GroupInfo> groups;
    try {
      groups = client.groups();
    } catch (ParleyException e) {
      tasks.ui().execute(() -> error.set("Cannot list groups: " + e.getMessage()));
      return List.of();
    }
    List<ChatSummary> out = new ArrayList<>();
    for (GroupInfo g : groups) {
      String preview = g.lastMessage().map(m -> (m.isOutgoing() ? "You: " : firstName(nameOf(m.senderNumber())) + ": ")
          + Format.preview(Attachments.preview(m.text(), m.attachments())))
          .orElse(g.selfIsMember() ? "" : "You are no longer a member");
      out.add(new ChatSummary(g.id().value(), g.name(), Format.initials(g.name()), preview, g.lastActivity(),
          Format.listTime(g.lastActivity(), now, zone), g.unread(), false, Optional.of(g.id()),
          g.picture().filter(p -> p.state().isLocal()).map(Attachment::id)));
    }
    return out;
  }

  /** "Alice" of "Alice Rao"; a number stays whole. */
  static String firstName(String name) {
    if (name.startsWith("+")) {
      return name;
    }
    int space = name.indexOf(' ');
    return space > 0 ? name.substring(0, space) : name;
  }

  /** One's chats with contacts (not groups), as people to pick for a group. */
  public List<ContactPicker.Candidate> people() {
    List<ContactPicker.Candidate> out = new ArrayList<>();
    for (ChatSummary c : all) {
      if (!c.isGroup()) {
        out.add(new ContactPicker.Candidate(c.number(), c.name(), c.initials(), false));
      }
    }
    return out;
  }

  /** The chat with this key (a number or a group's id) as listed, if it is. */
  public Optional<ChatSummary> chat(String key) {
    return all.stream().filter(c -> c.number().equals(key)).findFirst();
  }

  /** The search box changed: filters chats by name or number, and searches the messages. */
  public void search(String text) {
    query.set(text == null ? "" : text);
    applyFilter();
    String q = query.get().strip().toLowerCase(Locale.ROOT);
    long generation = ++searchGeneration;
    if (q.length() < 2) {
      hits.set(List.of());
      return;
    }
    tasks.run(() -> {
      // client-core searches every conversation in its database, newest first.
      List<SearchHit> found = new ArrayList<>();
      long now = clock.millis();
      String me = client.account().number();
      for (SearchResult r : client.searchAll(q, MAX_HITS)) {
        if (r instanceof SearchResult.InGroup g) {
          // A group's key is its id; the preview names the sender as the chat list does.
          GroupMessage m = g.message();
          String sender = m.isOutgoing() || m.senderNumber().equals(me) ? "You" : nameOf(m.senderNumber());
          found.add(new SearchHit(m.groupId().value(), g.groupName(), m.id(), sender + ": " + Format.preview(
              m.text()), Format.listTime(m.timestamp(), now, zone)));
        } else {
          Message m = ((SearchResult.Direct) r).message();
          found.add(new SearchHit(m.contactNumber(), nameOf(m.contactNumber()), m.id(),
              Format.preview(Attachments.preview(m.text(), m.attachments())),
              Format.listTime(m.timestamp(), now, zone)));
        }
      }
      return found;
    }, found -> {
      if (generation == searchGeneration) {
        hits.set(found);
      }
    }, error::set);
  }

  /** Adds a chat with no messages yet (from "new chat"). */
  public void addDraft(String number) {
    drafts.add(number);
    refresh();
  }

  public String nameOf(String number) {
    return settings.contactName(number).orElse(number);
  }

  /** The chat after (+1) or before (-1) {@code number} in the list as shown, wrapping around. */
  public String neighbour(String number, int direction) {
    List<ChatSummary> shown = chats.get();
    if (shown.isEmpty()) {
      return null;
    }
    int index = -1;
    for (int i = 0; i < shown.size(); i++) {
      if (shown.get(i).number().equals(number)) {
        index = i;
      }
    }
    if (index < 0) {
      return shown.get(direction > 0 ? 0 : shown.size() - 1).number();
    }
    return shown.get(Math.floorMod(index + direction, shown.size())).number();
  }

  private void applyFilter() {
    String q = query.get().strip().toLowerCase(Locale.ROOT);
    emptyText.set(q.isEmpty() ? NO_CHATS : "No chats match \u201C" + query.get().strip() + "\u201D");
    if (q.isEmpty()) {
      chats.set(all);
      return;
    }
    List<ChatSummary> filtered = new ArrayList<>();
    for (ChatSummary c : all) {
      if (c.name().toLowerCase(Locale.ROOT).contains(q) || !c.isGroup() && c.number().contains(q)) {
        filtered.add(c);
      }
    }
    chats.set(filtered);
  }
}
