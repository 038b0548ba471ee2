package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.LinkedDevice;
import org.parley.client.api.ParleyClient;
import org.parley.desktop.settings.SettingsStore;
import org.parley.testing.Linker;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;

/** Settings → Linked devices on a desktop that is the primary: it lists a linked device and unlinks it. */
class SettingsDevicesTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  @Test
  void aPrimaryDesktopListsAndUnlinksADevice() throws Exception {
    try (VmHarness h = new VmHarness(); ParleyClient desktop = parley.register(Users.newNumber()).client()) {
      Linker laptop = parley.link("laptop");
      try (ParleyClient linked = laptop.client) {
        desktop.addDevice(laptop.currentLink(), "");
        laptop.awaitLinked();
        SettingsStore store = SettingsStore.open(Files.createTempDirectory("parley-settings"));
        SettingsViewModel vm = h.onUi(() -> new SettingsViewModel(desktop, store, h.tasks));
        h.onUi(vm::load);
        await().until(() -> h.onUi(vm.devices::get).size() == 2);
        assertThat(h.onUi(vm.primary::get)).isTrue();
        assertThat(h.onUi(vm.devices::get)).extracting(LinkedDevice::name).containsExactly("parley", "laptop");

        h.onUi(() -> vm.unlink(1));
        await().until(() -> !h.onUi(vm.error::get).isEmpty());
        assertThat(h.onUi(vm.error::get)).contains("primary device cannot be unlinked");
        h.onUi(() -> vm.unlink(2));
        await().until(() -> h.onUi(vm.devices::get).size() == 1);
        assertThat(h.onUi(vm.error::get)).isEmpty();
      }
    }
  }
}
