package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.ParleyClient;
import org.parley.desktop.settings.SettingsStore;
import org.parley.testing.Linker;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;

/**
 * The main ViewModel over real clients switches to the "unlinked" state when the server revokes this computer: unlinked
 * by the phone (a linked computer), or its number registered elsewhere (a computer that was the primary).
 */
class UnlinkedViewModelTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  @Test
  void aComputerUnlinkedByThePhoneSwitchesToTheUnlinkedScreenOnce() throws Exception {
    try (VmHarness h = new VmHarness()) {
      String number = Users.newNumber();
      try (ParleyClient phone = parley.register(number).client()) {
        Linker desktop = parley.link("desktop");
        try (ParleyClient d = desktop.client) {
          phone.addDevice(desktop.currentLink(), "");
          desktop.awaitLinked();
          MainViewModel vm = h.onUi(() -> new MainViewModel(d, SettingsStore.open(desktop.dataDir), h.tasks,
              h.clock, h.zone, h.timer, (title, body, open) -> { }));
          int[] changes = {0};
          h.onUi(() -> vm.unlinked.observe(u -> u.ifPresent(x -> changes[0]++)));
          h.onUi(vm::start);
          await().until(() -> h.onUi(vm.connection::get).isEmpty());
          assertThat(h.onUi(vm.unlinked::get)).isEmpty();

          phone.unlink(2);
          await().until(() -> h.onUi(vm.unlinked::get).isPresent());
          Unlinked screen = h.onUi(vm.unlinked::get).orElseThrow();
          assertThat(screen.title()).isEqualTo("This computer was unlinked from your phone's account");
          assertThat(screen.explanation()).contains(number).contains("empty chat history");
          assertThat(screen.setUpLabel()).isEqualTo("Link again");
          assertThat(screen.straightToLink()).isTrue();
          assertThat(h.onUi(vm.connection::get)).startsWith("Not linked").doesNotContain("reconnecting");
          Thread.sleep(2_000);
          assertThat(h.onUi(() -> changes[0])).isEqualTo(1);
          assertThat(h.onUi(vm.connection::get)).startsWith("Not linked");
          h.onUi(vm::stop);
        }
      }
    }
  }

  @Test
  void aPrimaryWhoseNumberWasRegisteredElsewhereIsToldItsRegistrationWasReplaced() throws Exception {
    try (VmHarness h = new VmHarness()) {
      String number = Users.newNumber();
      var dir = Files.createTempDirectory("parley-replaced");
      try (ParleyClient me = parley.register(number, dir).client()) {
        MainViewModel vm = h.onUi(() -> new MainViewModel(me, SettingsStore.open(dir), h.tasks, h.clock, h.zone,
            h.timer, (title, body, open) -> { }));
        h.onUi(vm::start);
        await().until(() -> h.onUi(vm.connection::get).isEmpty());
        try (ParleyClient elsewhere = parley.register(number).client()) {
          await().until(() -> h.onUi(vm.unlinked::get).isPresent());
          Unlinked screen = h.onUi(vm.unlinked::get).orElseThrow();
          assertThat(screen.title()).isEqualTo("Your registration was replaced");
          assertThat(screen.explanation()).contains(number).contains("registered with Parley on another device");
          assertThat(screen.straightToLink()).isFalse();
          assertThat(h.onUi(vm.unlinked::get)).isEqualTo(Optional.of(screen));
        }
        h.onUi(vm::stop);
      }
    }
  }
}
