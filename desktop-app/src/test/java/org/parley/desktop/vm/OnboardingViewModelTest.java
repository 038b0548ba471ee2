package org.parley.desktop.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.ParleyClient;
import org.parley.desktop.settings.SettingsStore;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.TestUser;
import org.parley.testing.Users;

/** Registration screens over a real server, without JavaFX. */
class OnboardingViewModelTest {

  @RegisterExtension
  static final ParleyServerExtension parley = ParleyServerExtension.builder().build();

  private Path dir;
  private SettingsStore store;
  private final VmHarness h = new VmHarness();
  private final AtomicReference<ParleyClient> done = new AtomicReference<>();
  private OnboardingViewModel vm;

  @BeforeEach
  void start() throws Exception {
    dir = Files.createTempDirectory("parley-onboarding");
    store = SettingsStore.open(dir);
  }

  private OnboardingViewModel create(URI serverUri, CodeSource codes) {
    return h.onUi(() -> new OnboardingViewModel(serverUri, uri -> ParleyClient.open(ClientOptions.of(dir, uri)),
        codes, store, h.io, h.ui, done::set));
  }

  /** A code source like the demo's: reads what the server's development SMS sender wrote. */
  private Optional<String> codeFromTheServersSmsOutbox(String number) {
    try {
      return Optional.of(parley.server().lastCode(number));
    } catch (IOException | IllegalStateException none) {
      return Optional.empty();
    }
  }

  @AfterEach
  void stop() {
    h.close();
    if (done.get() != null) {
      done.get().close();
    }
  }

  @Test
  void registersWithACodeFromTheOutboxAndSavesTheProfileName() throws Exception {
    vm = create(parley.url(), this::codeFromTheServersSmsOutbox);
    String number = Users.newNumber();
    h.onUi(vm::chooseRegister);
    h.onUi(() -> vm.number.set(number.substring(2)));
    h.onUi(vm::requestCode);
    await().until(() -> h.onUi(vm.step::get) == OnboardingViewModel.Step.CODE);
    assertThat(h.onUi(vm.code::get)).isEqualTo(parley.server().lastCode(number));
    assertThat(h.onUi(vm.hint::get)).contains("filled in");
    h.onUi(vm::verify);
    await().until(() -> h.onUi(vm.step::get) == OnboardingViewModel.Step.PROFILE);
    h.onUi(vm::finish);
    assertThat(h.onUi(vm.error::get)).isEqualTo("Enter a name people will see");
    h.onUi(() -> vm.profileName.set("  Pat  "));
    h.onUi(vm::finish);
    await().until(() -> done.get() != null);
    assertThat(done.get().account().number()).isEqualTo(number);
    assertThat(store.settings().profileName()).isEqualTo("Pat");
  }

  /** Issue #17, finding 9: a number with a registration lock asks for the PIN; the code stays good meanwhile. */
  @Test
  void aLockedNumberAsksForThePinAndRegistersWithIt() throws Exception {
    String number = Users.newNumber();
    TestUser owner = parley.register(number);
    owner.client().setRegistrationLock("2468 1357");
    vm = create(parley.url(), this::codeFromTheServersSmsOutbox);
    h.onUi(vm::chooseRegister);
    h.onUi(() -> vm.number.set(number.substring(2)));
    h.onUi(vm::requestCode);
    await().until(() -> h.onUi(vm.step::get) == OnboardingViewModel.Step.CODE);
    assertThat(h.onUi(vm.pinNeeded::get)).isFalse();

    h.onUi(vm::verify);
    await().until(() -> !h.onUi(vm.busy::get) && h.onUi(vm.pinNeeded::get));
    assertThat(h.onUi(vm.error::get)).startsWith("This number has a registration lock: enter the PIN")
        .contains("in 7 days");
    assertThat(h.onUi(vm.step::get)).isEqualTo(OnboardingViewModel.Step.CODE);

    h.onUi(() -> vm.pin.set("12"));
    h.onUi(vm::verify);
    assertThat(h.onUi(vm.error::get)).isEqualTo("The PIN has at least 4 characters");
    h.onUi(() -> vm.pin.set("1111"));
    h.onUi(vm::verify);
    await().until(() -> !h.onUi(vm.busy::get) && !h.onUi(vm.error::get).isEmpty());
    assertThat(h.onUi(vm.error::get)).startsWith("That PIN is not right.");
    assertThat(h.onUi(vm.pin::get)).isEmpty();

    h.onUi(() -> vm.pin.set("2468 1357"));
    h.onUi(vm::verify);
    await().until(() -> h.onUi(vm.step::get) == OnboardingViewModel.Step.PROFILE);
  }

  @Test
  void mistakesGetClearErrorsAndNothingIsLost() throws Exception {
    vm = create(parley.url(), CodeSource.NONE);
    String number = Users.newNumber();
    h.onUi(vm::chooseRegister);
    h.onUi(() -> vm.number.set("12"));
    h.onUi(vm::requestCode);
    assertThat(h.onUi(vm.error::get)).contains("8 to 15 digits");
    h.onUi(() -> vm.server.set("chat.example.org"));
    h.onUi(() -> vm.number.set(number.substring(2)));
    h.onUi(vm::requestCode);
    assertThat(h.onUi(vm.error::get)).contains("server address");
    h.onUi(() -> vm.server.set(parley.url().toString()));
    h.onUi(vm::requestCode);
    await().until(() -> h.onUi(vm.step::get) == OnboardingViewModel.Step.CODE);
    assertThat(h.onUi(vm.code::get)).isEmpty();
    h.onUi(() -> vm.code.set("12a"));
    h.onUi(vm::verify);
    assertThat(h.onUi(vm.error::get)).contains("6 digits");
    String right = parley.server().lastCode(number);
    String wrong = right.equals("000000") ? "111111" : "000000";
    h.onUi(() -> vm.code.set(wrong));
    h.onUi(vm::verify);
    await().until(() -> !h.onUi(vm.busy::get) && !h.onUi(vm.error::get).isEmpty());
    assertThat(h.onUi(vm.step::get)).isEqualTo(OnboardingViewModel.Step.CODE);
    assertThat(h.onUi(vm.number::get)).isEqualTo(number.substring(2));
    h.onUi(() -> vm.code.set(right));
    h.onUi(vm::verify);
    await().until(() -> h.onUi(vm.step::get) == OnboardingViewModel.Step.PROFILE);
  }

  @Test
  void anUnreachableServerIsReportedAndTheNumberKept() {
    vm = create(URI.create("http://127.0.0.1:9"), CodeSource.NONE);
    h.onUi(vm::chooseRegister);
    h.onUi(() -> vm.number.set("5550100009"));
    h.onUi(vm::requestCode);
    await().until(() -> !h.onUi(vm.busy::get) && !h.onUi(vm.error::get).isEmpty());
    assertThat(h.onUi(vm.step::get)).isEqualTo(OnboardingViewModel.Step.PHONE);
    assertThat(h.onUi(vm.number::get)).isEqualTo("5550100009");
  }

  @Test
  void theLinkScreenShowsALinkThatAPhoneUsesAndFinishesIntoTheApp() throws Exception {
    vm = create(parley.url(), CodeSource.NONE);
    h.onUi(vm::chooseLink);
    assertThat(h.onUi(vm.step::get)).isEqualTo(OnboardingViewModel.Step.LINK);
    await().until(() -> h.onUi(vm.linkState::get) == OnboardingViewModel.LinkState.WAITING_FOR_PHONE);
    String link = h.onUi(vm.linkUri::get);
    assertThat(link).startsWith("parley://link?uuid=");

    String number = Users.newNumber();
    try (ParleyClient phone = parley.register(number).client()) {
      assertThat(phone.addDevice(link, "Alice on the phone").deviceId()).isEqualTo(2);
      await().until(() -> h.onUi(vm.step::get) == OnboardingViewModel.Step.DONE);
      assertThat(done.get().account().number()).isEqualTo(number);
      assertThat(done.get().account().deviceId()).isEqualTo(2);
      assertThat(store.settings().profileName()).isEqualTo("Alice on the phone");

      // Settings on the linked device lists both devices; only a primary gets to unlink.
      SettingsViewModel settings = h.onUi(() -> new SettingsViewModel(done.get(), store, h.tasks));
      h.onUi(settings::loadDevices);
      await().until(() -> h.onUi(settings.devices::get).size() == 2);
      assertThat(h.onUi(settings.primary::get)).isFalse();
    }
  }

  @Test
  void backStopsWaitingAndAnUnreachableServerIsReported() throws Exception {
    vm = create(parley.url(), CodeSource.NONE);
    h.onUi(vm::chooseLink);
    await().until(() -> h.onUi(vm.linkState::get) == OnboardingViewModel.LinkState.WAITING_FOR_PHONE);
    String first = h.onUi(vm.linkUri::get);
    h.onUi(vm::back);
    assertThat(h.onUi(vm.step::get)).isEqualTo(OnboardingViewModel.Step.WELCOME);
    h.onUi(vm::chooseLink);
    await().until(() -> h.onUi(vm.linkState::get) == OnboardingViewModel.LinkState.WAITING_FOR_PHONE
        && !h.onUi(vm.linkUri::get).isEmpty());
    assertThat(h.onUi(vm.linkUri::get)).isNotEqualTo(first);
    h.onUi(vm::back);

    h.onUi(() -> vm.server.set("http://127.0.0.1:9"));
    h.onUi(vm::chooseLink);
    await().until(() -> h.onUi(vm.linkState::get) == OnboardingViewModel.LinkState.FAILED);
    assertThat(h.onUi(vm.error::get)).contains("provisioning connection");
    h.onUi(() -> vm.server.set("not a url"));
    h.onUi(vm::chooseLink);
    assertThat(h.onUi(vm.linkState::get)).isEqualTo(OnboardingViewModel.LinkState.FAILED);
    assertThat(h.onUi(vm.error::get)).contains("server address");
  }
}
