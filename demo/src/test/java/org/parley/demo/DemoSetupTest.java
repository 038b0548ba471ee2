package org.parley.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.parley.client.api.Message;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.ParleyClient;
import org.parley.desktop.AppContext;
import org.parley.desktop.LaunchOptions;
import org.parley.desktop.vm.OnboardingViewModel;

/** The demo through the desktop app's seam: an {@link AppContext} with a {@link DemoSetup}, without JavaFX. */
class DemoSetupTest {

  private final ExecutorService ui = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-ui"));
  private AppContext context;

  @AfterEach
  void stop() {
    if (context != null) {
      context.close();
    }
    ui.shutdownNow();
  }

  private AppContext start(Path root, boolean onboarding) throws IOException {
    DemoSetup setup = new DemoSetup(root.resolve("demo"), onboarding, Optional.of(root));
    LaunchOptions options = new LaunchOptions(root.resolve("me"), LaunchOptions.DEFAULT_SERVER, Optional.empty());
    context = AppContext.create(options, setup, ui, Map.of());
    return context;
  }

  @Test
  void theDemoRegistersItsNumberIntroducesEchoAndCleansUpOnClose() throws Exception {
    Path root = Files.createTempDirectory("parley-demo-setup");
    AppContext app = start(root, false);
    assertThat(app.startingText()).isEqualTo("Starting the demo server…");
    assertThat(app.prepareAsync().get(60, TimeUnit.SECONDS)).isEqualTo(AppContext.Start.MAIN);

    ParleyClient me = app.client().orElseThrow();
    assertThat(me.account().number()).isEqualTo(DemoEnvironment.USER_NUMBER);
    assertThat(app.settings().settings().profileName()).isEqualTo(DemoSetup.PROFILE_NAME);
    assertThat(app.settings().contactName(DemoEnvironment.ECHO_NUMBER)).contains(DemoEnvironment.ECHO_NAME);
    URI server = URI.create(me.account().serverUrl());
    me.connect();
    // The conversation with Echo exists once its greeting arrived.
    await().atMost(Duration.ofSeconds(20)).ignoreException(NotFoundException.class)
        .until(() -> me.history(DemoEnvironment.ECHO_NUMBER, 10).stream()
            .map(Message::text).anyMatch(t -> t.startsWith("Hi! I'm Echo")));

    app.close();
    assertThat(root).doesNotExist();
    assertThatThrownBy(() -> new Socket(server.getHost(), server.getPort()).close())
        .as("the demo server stopped").isInstanceOf(IOException.class);
  }

  @Test
  void withOnboardingTheScreensGetTheDemoNumberAndItsCode() throws Exception {
    Path root = Files.createTempDirectory("parley-demo-onboarding");
    AppContext app = start(root, true);
    assertThat(app.prepareAsync().get(60, TimeUnit.SECONDS)).isEqualTo(AppContext.Start.ONBOARDING);
    assertThat(app.client()).isEmpty();

    AtomicReference<ParleyClient> registered = new AtomicReference<>();
    OnboardingViewModel vm = onUi(() -> app.onboarding(registered::set));
    assertThat(onUi(vm.number::get)).isEqualTo(DemoEnvironment.USER_NUMBER.substring(2));
    assertThat(onUi(vm.server::get)).startsWith("http://127.0.0.1:");
    onUi(() -> {
      vm.chooseRegister();
      vm.requestCode();
      return null;
    });
    await().atMost(Duration.ofSeconds(20)).until(() -> onUi(vm.step::get) == OnboardingViewModel.Step.CODE);
    assertThat(onUi(vm.code::get)).matches("[0-9]{6}");
    onUi(() -> {
      vm.verify();
      return null;
    });
    await().atMost(Duration.ofSeconds(20)).until(() -> onUi(vm.step::get) == OnboardingViewModel.Step.PROFILE);
    onUi(() -> {
      vm.profileName.set("Pat");
      vm.finish();
      return null;
    });
    await().atMost(Duration.ofSeconds(20)).until(() -> registered.get() != null);
    assertThat(registered.get().account().number()).isEqualTo(DemoEnvironment.USER_NUMBER);
    // After the screens, Echo is introduced too.
    await().atMost(Duration.ofSeconds(20))
        .until(() -> app.settings().contactName(DemoEnvironment.ECHO_NUMBER).isPresent());
  }

  private <T> T onUi(Callable<T> call) throws Exception {
    return ui.submit(call).get(10, TimeUnit.SECONDS);
  }
}
