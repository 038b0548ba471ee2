package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ContactPickerTest {

  private static ContactPicker.Candidate person(String number, String name) {
    return new ContactPicker.Candidate(number, name, Format.initials(name), false);
  }

  private final List<ContactPicker.Candidate> people = List.of(
      person("+15550000003", "Maya Chen"), person("+15550000001", "alice Rao"), person("+15550000002", "Bob Stone"),
      person("+15550000004", "+15550000004"), person("+15550000001", "alice Rao"));

  @Test
  void candidatesAreSortedByNameWithoutDuplicatesOrExcludedNumbers() {
    ContactPicker picker = new ContactPicker();
    picker.offer(people, Set.of("+15550000002"));
    assertThat(picker.shown.get()).extracting(ContactPicker.Candidate::name)
        .containsExactly("+15550000004", "alice Rao", "Maya Chen");
    assertThat(picker.shown.get()).noneMatch(ContactPicker.Candidate::picked);
  }

  @Test
  void ticksSurviveFilteringAndKeepTheirOrder() {
    ContactPicker picker = new ContactPicker();
    picker.offer(people, Set.of());
    picker.toggle("+15550000003");
    picker.toggle("+15550000001");
    assertThat(picker.pickedCount.get()).isEqualTo(2);
    picker.setFilter("bo");
    assertThat(picker.shown.get()).extracting(ContactPicker.Candidate::name).containsExactly("Bob Stone");
    picker.setFilter("0004");
    assertThat(picker.shown.get()).extracting(ContactPicker.Candidate::number).containsExactly("+15550000004");
    picker.setFilter("MAYA");
    assertThat(picker.shown.get()).singleElement().matches(ContactPicker.Candidate::picked);
    assertThat(picker.picked()).containsExactly("+15550000003", "+15550000001");
    assertThat(picker.pickedNames()).containsExactly("Maya Chen", "alice Rao");
    picker.toggle("+15550000003");
    assertThat(picker.picked()).containsExactly("+15550000001");
  }

  @Test
  void aNumberNotOfferedCannotBeTickedAndEmptyListsSayWhy() {
    ContactPicker picker = new ContactPicker();
    picker.offer(List.of(), Set.of());
    assertThat(picker.emptyText.get()).startsWith("No contacts yet");
    picker.toggle("+15550000009");
    assertThat(picker.picked()).isEmpty();
    picker.offer(people, Set.of());
    picker.setFilter("zed");
    assertThat(picker.shown.get()).isEmpty();
    assertThat(picker.emptyText.get()).isEqualTo("Nobody matches \u201Czed\u201D");
    picker.toggle("+15550000002");
    picker.offer(people, Set.of());
    assertThat(picker.picked()).as("a new offer starts with nobody ticked").isEmpty();
    assertThat(picker.filter.get()).isEmpty();
  }
}
