package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.parley.client.api.LinkedDevice;
import org.parley.client.api.ParleyClient;
import org.parley.client.support.Linker;
import org.parley.client.support.LocalServer;
import org.parley.client.support.Users;
import org.parley.desktop.settings.SettingsStore;

/** Settings → Linked devices on a desktop that is the primary: it lists a linked device and unlinks it. */
class SettingsDevicesTest {

  @Test
  void aPrimaryDesktopListsAndUnlinksADevice() throws Exception {
    try (VmHarness h = new VmHarness(); LocalServer server = LocalServer.start();
        ParleyClient desktop = Users.register(server, Users.newNumber())) {
      Linker laptop = Linker.start(server, "laptop");
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
