package org.parley.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;

/**
 * The extension's lifecycle, seen from outside: sample test classes (nested, so surefire does not run them on their
 * own) run through the JUnit launcher, report what they saw, and the outer test checks it, including what must
 * hold after they finished (clients closed, server stopped).
 */
class ParleyServerExtensionTest {

  /** What a sample test saw: the server's URL and the users it was given. */
  record Seen(URI server, List<TestUser> users) {}

  static final List<Seen> SEEN = new CopyOnWriteArrayList<>();
  static volatile TestUser classUser;

  private static TestExecutionSummary run(Class<?> sample) {
    SEEN.clear();
    SummaryGeneratingListener listener = new SummaryGeneratingListener();
    LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(sample))
        .build(), listener);
    TestExecutionSummary summary = listener.getSummary();
    summary.getFailures().forEach(f -> f.getException().printStackTrace());
    return summary;
  }

  private static boolean answers(URI server) throws Exception {
    try {
      HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.resolve("/health")).build(),
          HttpResponse.BodyHandlers.discarding());
      return true;
    } catch (ConnectException refused) {
      return false;
    }
  }

  /** Fails while another client still holds {@code dataDir}: the extension must have closed it. */
  private static void assertClosed(Path dataDir) throws Exception {
    try (ParleyClient again = ParleyClient.open(ClientOptions.of(dataDir, null))) {
      assertThat(again.account().number()).isNotBlank();
    }
  }

  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  static class SharedServer {
    @RegisterExtension
    static final ParleyServerExtension parley = ParleyServerExtension.builder().users(2).build();

    @BeforeAll
    static void aUserForTheWholeClass() throws Exception {
      classUser = parley.register();
    }

    @Test
    @Order(1)
    void first() throws Exception {
      SEEN.add(new Seen(parley.url(), parley.users()));
      assertThat(parley.user(0).client().account().number()).isEqualTo(parley.user(0).number());
      assertThat(parley.user(1).number()).isNotEqualTo(parley.user(0).number());
      assertThatThrownBy(() -> parley.user(2)).isInstanceOf(IndexOutOfBoundsException.class)
          .hasMessageContaining("this test has 2").hasMessageContaining("users(n)");
    }

    @Test
    @Order(2)
    void second() throws Exception {
      SEEN.add(new Seen(parley.url(), parley.users()));
      // The first test's users are closed now; the class's user is still open.
      assertClosed(SEEN.get(0).users().get(0).dataDir());
      assertThatThrownBy(() -> ParleyClient.open(ClientOptions.of(classUser.dataDir(), null)))
          .isInstanceOf(ParleyException.class).hasMessageContaining("in use by another Parley client");
      assertThat(classUser.client().account().number()).isEqualTo(classUser.number());
    }
  }

  @Test
  void aStaticExtensionSharesOneServerAndGivesEachTestNewUsers() throws Exception {
    TestExecutionSummary summary = run(SharedServer.class);
    assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
    assertThat(summary.getTotalFailureCount()).isZero();
    assertThat(SEEN).hasSize(2);
    assertThat(SEEN.get(1).server()).isEqualTo(SEEN.get(0).server());
    assertThat(SEEN.get(1).users()).extracting(TestUser::number)
        .doesNotContainAnyElementsOf(SEEN.get(0).users().stream().map(TestUser::number).toList());
    for (Seen seen : SEEN) {
      for (TestUser user : seen.users()) {
        assertClosed(user.dataDir());
      }
    }
    assertClosed(classUser.dataDir());
    assertThat(answers(SEEN.get(0).server())).as("server stopped after the class").isFalse();
  }

  static class ServerPerTest {
    @RegisterExtension
    final ParleyServerExtension parley = ParleyServerExtension.builder().users(1).build();

    @Test
    void one() throws Exception {
      SEEN.add(new Seen(parley.url(), parley.users()));
    }

    @Test
    void another() throws Exception {
      SEEN.add(new Seen(parley.url(), parley.users()));
    }
  }

  @Test
  void anInstanceExtensionGivesEachTestAServerOfItsOwn() throws Exception {
    TestExecutionSummary summary = run(ServerPerTest.class);
    assertThat(summary.getTestsSucceededCount()).isEqualTo(2);
    assertThat(SEEN).hasSize(2);
    assertThat(SEEN.get(1).server()).isNotEqualTo(SEEN.get(0).server());
    for (Seen seen : SEEN) {
      assertThat(answers(seen.server())).isFalse();
      assertClosed(seen.users().get(0).dataDir());
    }
  }

  static class WithTurn {
    @RegisterExtension
    static final ParleyServerExtension parley = ParleyServerExtension.builder().turn()
        .setting("PARLEY_TURN_CREDENTIAL_TTL", "1h").build();

    @Test
    void iceServersComeFromTheEmbeddedTurn() throws Exception {
      TestUser user = parley.register();
      SEEN.add(new Seen(parley.url(), List.of(user)));
      assertThat(parley.server().server().config().turn().embedded()).isTrue();
      assertThat(parley.server().server().config().turn().credentialTtl()).hasHours(1);
    }
  }

  @Test
  void turnAndSettingsReachTheServer() {
    TestExecutionSummary summary = run(WithTurn.class);
    assertThat(summary.getTestsSucceededCount()).isEqualTo(1);
  }

  @Test
  void badSetUpGetsClearErrors() {
    assertThatThrownBy(() -> ParleyServerExtension.builder().users(-1)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot be negative");
    assertThatThrownBy(() -> ParleyServerExtension.builder().setting("MESSAGES_MAX_CONTENT_BYTES", "1"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PARLEY_");
    ParleyServerExtension notRegistered = ParleyServerExtension.builder().build();
    assertThatThrownBy(notRegistered::server).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("@RegisterExtension");
  }
}
