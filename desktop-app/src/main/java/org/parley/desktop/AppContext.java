package org.parley.desktop;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.NotRegisteredException;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import org.parley.desktop.demo.DemoEnvironment;
import org.parley.desktop.settings.SettingsStore;
import org.parley.desktop.settings.Theme;
import org.parley.desktop.vm.CodeSource;
import org.parley.desktop.vm.MainViewModel;
import org.parley.desktop.vm.Notifier;
import org.parley.desktop.vm.OnboardingViewModel;
import org.parley.desktop.vm.Tasks;

/**
 * Wires the desktop app by hand: data directory, settings, the client, the demo environment, executors, clock.
 * Everything the views get comes from here; nothing is looked up globally.
 */
public final class AppContext implements AutoCloseable {

  /** Which screen comes first. */
  public enum Start {
    ONBOARDING, MAIN
  }

  private final LaunchOptions options;
  private final Path dataDir;
  private final boolean temporaryDir;
  private final SettingsStore store;
  private final Map<String, String> env;
  private final ExecutorService io;
  private final ScheduledExecutorService timer;
  private final Tasks tasks;
  private final Clock clock;
  private final ZoneId zone;
  private DemoEnvironment demo;
  private ParleyClient client;
  private MainViewModel main;

  private AppContext(LaunchOptions options, Path dataDir, boolean temporaryDir, SettingsStore store,
      Executor ui, Map<String, String> env, Clock clock, ZoneId zone) {
    this.options = options;
    this.dataDir = dataDir;
    this.temporaryDir = temporaryDir;
    this.store = store;
    this.env = env;
    this.clock = clock;
    this.zone = zone;
    this.io = Executors.newSingleThreadExecutor(daemon("parley-io"));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("parley-timer"));
    this.tasks = new Tasks(io, ui);
  }

  public static AppContext create(LaunchOptions options, Executor ui, Map<String, String> env) throws IOException {
    boolean temporary = options.dataDir().isEmpty();
    Path dir = temporary ? Files.createTempDirectory("parley-demo") : options.dataDir().get();
    return new AppContext(options, dir, temporary, SettingsStore.open(temporary ? dir.resolve("me") : dir), ui, env,
        Clock.systemUTC(), ZoneId.systemDefault());
  }

  private Path accountDir() {
    return temporaryDir ? dataDir.resolve("me") : dataDir;
  }

  private java.util.concurrent.CompletableFuture<Start> prepared;

  /** Starts {@link #prepare} on its own thread (once) and returns its outcome. */
  public synchronized java.util.concurrent.CompletableFuture<Start> prepareAsync() {
    if (prepared == null) {
      prepared = new java.util.concurrent.CompletableFuture<>();
      Thread t = new Thread(() -> {
        try {
          prepared.complete(prepare());
        } catch (Exception | Error e) {
          org.slf4j.LoggerFactory.getLogger(AppContext.class).error("Parley could not start", e);
          prepared.completeExceptionally(e);
        }
      }, "parley-start");
      t.setDaemon(true);
      t.start();
    }
    return prepared;
  }

  /** Slow start-up work, off the UI thread: the demo server, opening the database, demo registration. */
  private Start prepare() throws ParleyException, IOException {
    if (options.demo()) {
      demo = DemoEnvironment.start(dataDir.resolve("demo"), 1200);
    }
    StartupMarks.mark("prepare");
    client = ParleyClient.open(new ClientOptions(accountDir(), Optional.empty(), Optional.empty(), clock));
    StartupMarks.mark("client-opened");
    try {
      client.account();
      return Start.MAIN;
    } catch (NotRegisteredException e) {
      if (demo != null && !options.onboarding()) {
        client.close();
        client = ParleyClient.open(ClientOptions.of(accountDir(), demo.serverUrl()));
        demo.registerUser(client);
        store.save(store.settings().withProfileName("Demo user"));
        demo.introduceEcho(store, DemoEnvironment.USER_NUMBER);
        return Start.MAIN;
      }
      client.close();
      client = null;
      return Start.ONBOARDING;
    }
  }

  /** The onboarding screens; {@code done} gets the registered client. */
  public OnboardingViewModel onboarding(Consumer<ParleyClient> done) {
    URI server = demo != null ? demo.serverUrl() : options.server();
    CodeSource codes = demo != null ? demo.codes() : CodeSource.NONE;
    OnboardingViewModel vm = new OnboardingViewModel(server,
        uri -> ParleyClient.open(ClientOptions.of(accountDir(), uri)), codes, store, io, tasks.ui(), c -> {
          client = c;
          if (demo != null) {
            io.execute(() -> {
              try {
                demo.introduceEcho(store, c.account().number());
              } catch (IOException | ParleyException e) {
                System.getLogger("parley").log(System.Logger.Level.WARNING, "Echo: " + e.getMessage());
              }
            });
          }
          done.accept(c);
        });
    if (demo != null) {
      vm.number.set(DemoEnvironment.USER_NUMBER.substring(2));
    }
    return vm;
  }

  /** The main window's ViewModel for the registered client. */
  public MainViewModel main(Notifier notifier) {
    if (main == null) {
      ParleyClient c = client;
      org.parley.desktop.audio.SystemCallAudio audio = new org.parley.desktop.audio.SystemCallAudio(c::calls, store,
          env);
      audio.checkInBackground(java.time.Duration.ofSeconds(3));
      main = new MainViewModel(client, store, tasks, clock, zone, timer, notifier, audio);
    }
    return main;
  }

  /**
   * After the server revoked this computer: stops the main ViewModel, closes the client and deletes the local
   * database (db.key and parley.*; settings stay), so that onboarding links or registers into a fresh one. See
   * docs/decisions/0302-unlinked-desktop.md.
   */
  public synchronized void startOver() throws IOException {
    if (main != null) {
      main.stop();
      main = null;
    }
    if (client != null) {
      client.close();
      client = null;
    }
    try (var files = Files.list(accountDir())) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        if (name.equals("db.key") || name.startsWith("parley.")) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  public Theme theme() {
    return options.theme().orElse(store.settings().theme()).resolve(env);
  }

  public Theme resolve(Theme chosen) {
    return chosen.resolve(env);
  }

  public LaunchOptions options() {
    return options;
  }

  public SettingsStore settings() {
    return store;
  }

  public Optional<DemoEnvironment> demo() {
    return Optional.ofNullable(demo);
  }

  public Optional<ParleyClient> client() {
    return Optional.ofNullable(client);
  }

  public Path dataDir() {
    return dataDir;
  }

  @Override
  public void close() {
    if (main != null) {
      main.stop();
    }
    io.shutdownNow();
    timer.shutdownNow();
    try {
      io.awaitTermination(3, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (client != null) {
      client.close();
    }
    if (demo != null) {
      demo.close();
    }
    if (temporaryDir) {
      deleteQuietly(dataDir);
    }
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory; the OS cleans it up eventually
    }
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
