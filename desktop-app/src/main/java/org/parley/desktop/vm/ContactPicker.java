package org.parley.desktop.vm;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Picking people from one's chats (for a new group, or to add to one): the candidates filtered by name or number,
 * and the ones ticked, in the order they were ticked.
 */
public final class ContactPicker {

  /** One person to pick. */
  public record Candidate(String number, String name, String initials, boolean picked) {}

  public final Value<String> filter = new Value<>("");
  /** The candidates matching the filter, each with whether it is ticked. */
  public final Value<List<Candidate>> shown = new Value<>(List.of());
  public final Value<Integer> pickedCount = new Value<>(0);
  /** What the list says when it shows nobody. */
  public final Value<String> emptyText = new Value<>("");

  private List<Candidate> all = List.of();
  private final Set<String> picked = new LinkedHashSet<>();

  /** Offers {@code people} (number → name pairs as the chat list has them), minus {@code exclude}; clears ticks. */
  public void offer(List<Candidate> people, Set<String> exclude) {
    List<Candidate> out = new ArrayList<>();
    Set<String> seen = new LinkedHashSet<>();
    for (Candidate c : people) {
      if (!exclude.contains(c.number()) && seen.add(c.number())) {
        out.add(new Candidate(c.number(), c.name(), c.initials(), false));
      }
    }
    out.sort((a, b) -> a.name().compareToIgnoreCase(b.name()));
    all = out;
    picked.clear();
    filter.set("");
    update();
  }

  public void setFilter(String text) {
    filter.set(text == null ? "" : text);
    update();
  }

  public void toggle(String number) {
    if (!picked.remove(number)) {
      if (all.stream().noneMatch(c -> c.number().equals(number))) {
        return;
      }
      picked.add(number);
    }
    update();
  }

  /** The ticked numbers, in the order they were ticked. */
  public List<String> picked() {
    return List.copyOf(picked);
  }

  /** The names of the ticked people, for "Alice, Bob and 3 more". */
  public List<String> pickedNames() {
    List<String> out = new ArrayList<>();
    for (String n : picked) {
      all.stream().filter(c -> c.number().equals(n)).findFirst().ifPresent(c -> out.add(c.name()));
    }
    return out;
  }

  private void update() {
    String q = filter.get().strip().toLowerCase(Locale.ROOT);
    String digits = q.replaceAll("[^0-9]", "");
    List<Candidate> out = new ArrayList<>();
    for (Candidate c : all) {
      boolean match = q.isEmpty() || c.name().toLowerCase(Locale.ROOT).contains(q)
          || !digits.isEmpty() && c.number().contains(digits);
      if (match) {
        out.add(new Candidate(c.number(), c.name(), c.initials(), picked.contains(c.number())));
      }
    }
    shown.set(out);
    pickedCount.set(picked.size());
    emptyText.set(all.isEmpty() ? "No contacts yet: start a chat with someone first."
        : "Nobody matches \u201C" + filter.get().strip() + "\u201D");
  }
}
