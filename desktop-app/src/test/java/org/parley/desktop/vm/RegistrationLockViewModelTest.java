package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.RegistrationLockedException;
import org.parley.desktop.settings.SettingsStore;
import org.parley.testing.Linker;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.TestUser;
import org.parley.testing.Users;

/** Settings → Registration lock against the real server: set, refused mistakes, change, remove, primary only. */
class RegistrationLockViewModelTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  @Test
  void thePrimarySetsChangesAndRemovesThePinAndTheServerEnforcesIt() throws Exception {
    String number = Users.newNumber();
    TestUser owner = parley.register(number);
    try (VmHarness h = new VmHarness()) {
      SettingsViewModel settings = h.onUi(() -> new SettingsViewModel(owner.client(),
          SettingsStore.open(Files.createTempDirectory("parley-settings")), h.tasks));
      RegistrationLockViewModel vm = settings.registrationLock;
      h.onUi(settings::load);
      await().until(() -> h.onUi(vm.lockSet::get) != null);
      assertThat(h.onUi(settings.primary::get)).isTrue();
      assertThat(h.onUi(vm.lockSet::get)).isFalse();
      assertThat(h.onUi(vm.status::get)).startsWith("Off:");

      h.onUi(() -> vm.setPin("12", "12"));
      assertThat(h.onUi(vm.error::get)).isEqualTo("A PIN has 4 to 64 characters");
      h.onUi(() -> vm.setPin("2468", "2486"));
      assertThat(h.onUi(vm.error::get)).startsWith("The two PINs differ");
      assertThat(owner.client().registrationLockSet()).isFalse();

      h.onUi(() -> vm.setPin("2468", "2468"));
      await().until(() -> Boolean.TRUE.equals(h.onUi(vm.lockSet::get)));
      assertThat(h.onUi(vm.error::get)).isEmpty();
      assertThat(h.onUi(vm.status::get)).startsWith("On:");
      assertThat(owner.client().registrationLockSet()).isTrue();

      h.onUi(() -> vm.setPin("1357 9", "1357 9"));
      await().until(() -> !h.onUi(vm.busy::get));
      assertThat(h.onUi(vm.error::get)).isEmpty();
      // The changed PIN is the one that counts: another device registering the number needs it.
      try (ParleyClient other = ParleyClient.open(
          ClientOptions.of(Files.createTempDirectory("parley-other"), parley.url()))) {
        other.requestCode(number);
        String code = parley.server().lastCode(number);
        assertThatThrownBy(() -> other.verify(code, "2468")).isInstanceOf(RegistrationLockedException.class)
            .hasMessageContaining("Wrong PIN");
      }

      h.onUi(vm::remove);
      await().until(() -> Boolean.FALSE.equals(h.onUi(vm.lockSet::get)));
      assertThat(owner.client().registrationLockSet()).isFalse();
    }
  }

  @Test
  void aLinkedDeviceDoesNotOfferTheLock() throws Exception {
    TestUser owner = parley.register(Users.newNumber());
    Linker laptop = parley.link("laptop");
    try (ParleyClient linked = laptop.client; VmHarness h = new VmHarness()) {
      owner.client().addDevice(laptop.currentLink(), "");
      laptop.awaitLinked();
      SettingsViewModel settings = h.onUi(() -> new SettingsViewModel(linked,
          SettingsStore.open(Files.createTempDirectory("parley-settings")), h.tasks));
      h.onUi(settings::load);
      await().until(() -> h.onUi(settings.devices::get).size() == 2);
      assertThat(h.onUi(settings.primary::get)).isFalse();
      assertThat(h.onUi(settings.registrationLock.lockSet::get)).isNull();
    }
  }
}
