package org.parley.desktop.vm;

import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.groups.GroupMessageInfo;
import org.parley.client.api.groups.MemberReceipt;

/**
 * "Message info" for one of our group messages: who read it, who has it, who does not have it yet, each with when.
 * Follows each member's receipt while shown (client-core's {@code groupMessageInfoChanged}).
 */
public final class MessageInfoViewModel {

  /** One member: when they read it or got it ("Today 14:05"), or empty while they have not. */
  public record ReceiptRow(String number, String name, String initials, String when) {}

  /** The message shown, or -1. */
  public final Value<Long> messageId = new Value<>(-1L);
  public final Value<String> text = new Value<>("");
  /** "Sent 14:02". */
  public final Value<String> sent = new Value<>("");
  /** "Read by 1 of 3 · delivered to 2 of 3". */
  public final Value<String> summary = new Value<>("");
  public final Value<List<ReceiptRow>> read = new Value<>(List.of());
  /** Delivered and not read yet. */
  public final Value<List<ReceiptRow>> delivered = new Value<>(List.of());
  public final Value<List<ReceiptRow>> waiting = new Value<>(List.of());
  public final Value<String> error = new Value<>("");

  private final ParleyClient client;
  private final Tasks tasks;
  private final Function<String, String> nameOf;
  private final ZoneId zone;
  private final Clock clock;

  MessageInfoViewModel(ParleyClient client, Tasks tasks, Function<String, String> nameOf, ZoneId zone,
      Clock clock) {
    this.client = client;
    this.tasks = tasks;
    this.nameOf = nameOf;
    this.zone = zone;
    this.clock = clock;
  }

  public void show(long groupMessageId) {
    messageId.set(groupMessageId);
    text.set("");
    read.set(List.of());
    delivered.set(List.of());
    waiting.set(List.of());
    summary.set("Loading…");
    refresh();
  }

  /** A member's receipt arrived: the info as it is now (ignored unless it is the message shown). */
  public void onChanged(GroupMessageInfo info) {
    if (info.message().id() == messageId.get()) {
      apply(info);
    }
  }

  /** Reads the receipts again (a status change of the message shown). */
  public void refresh() {
    long id = messageId.get();
    if (id < 0) {
      return;
    }
    error.set("");
    tasks.run(() -> client.groupMessageInfo(id), info -> {
      if (messageId.get() == id) {
        apply(info);
      }
    }, error::set);
  }

  public void clear() {
    messageId.set(-1L);
  }

  private void apply(GroupMessageInfo info) {
    text.set(Format.preview(info.message().text()));
    sent.set("Sent " + when(info.message().timestamp()));
    List<ReceiptRow> r = new ArrayList<>();
    List<ReceiptRow> d = new ArrayList<>();
    List<ReceiptRow> w = new ArrayList<>();
    for (MemberReceipt m : info.members()) {
      String name = nameOf.apply(m.number());
      if (m.read()) {
        r.add(new ReceiptRow(m.number(), name, Format.initials(name), when(m.readAt().orElseThrow())));
      } else if (m.delivered()) {
        d.add(new ReceiptRow(m.number(), name, Format.initials(name), when(m.deliveredAt().orElseThrow())));
      } else {
        w.add(new ReceiptRow(m.number(), name, Format.initials(name), ""));
      }
    }
    read.set(r);
    delivered.set(d);
    waiting.set(w);
    int all = info.members().size();
    summary.set("Read by " + r.size() + " of " + all + " · delivered to " + (r.size() + d.size()) + " of " + all);
  }

  /** "14:05" today, "Yesterday 14:05", "Tue 14:05", "03/12/26 14:05". */
  private String when(long millis) {
    String day = Format.listTime(millis, clock.millis(), zone);
    String time = Format.time(millis, zone);
    return day.equals(time) ? time : day + " " + time;
  }
}
