package org.parley.desktop;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.NotRegisteredException;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import org.parley.desktop.audio.JavaSoundMicrophone;
import org.parley.desktop.audio.JavaSoundSpeaker;
import org.parley.desktop.audio.SystemCallAudio;
import org.parley.desktop.maps.TileCache;
import org.parley.desktop.maps.TileServer;
import org.parley.desktop.settings.SettingsStore;
import org.parley.desktop.settings.Theme;
import org.parley.desktop.vm.CallCamera;
import org.parley.desktop.vm.MainViewModel;
import org.parley.desktop.vm.MapSettingsViewModel;
import org.parley.desktop.vm.Notifier;
import org.parley.desktop.vm.OnboardingViewModel;
import org.parley.desktop.vm.Tasks;
import org.parley.desktop.vm.VoiceDevices;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires the desktop app by hand: data directory, settings, the client, the account setup, executors, clock.
 * Everything the views get comes from here; nothing is looked up globally.
 */
public final class AppContext implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(AppContext.class);

  /** Which screen comes first. */
  public enum Start {
    ONBOARDING, MAIN
  }

  private final LaunchOptions options;
  private final AccountSetup setup;
  private final Path dataDir;
  private final SettingsStore store;
  private final Map<String, String> env;
  private final ExecutorService io;
  private final ScheduledExecutorService timer;
  private final Tasks tasks;
  private final Clock clock;
  private final ZoneId zone;
  private ParleyClient client;
  private MainViewModel main;
  private CompletableFuture<Start> prepared;
  private TileCache tiles;
  private boolean closed;

  private AppContext(LaunchOptions options, AccountSetup setup, SettingsStore store, Executor ui,
      Map<String, String> env, Clock clock, ZoneId zone) {
    this.options = options;
    this.setup = setup;
    this.dataDir = options.dataDir();
    this.store = store;
    this.env = env;
    this.clock = clock;
    this.zone = zone;
    this.io = Executors.newSingleThreadExecutor(daemon("parley-io"));
    this.timer = Executors.newSingleThreadScheduledExecutor(daemon("parley-timer"));
    this.tasks = new Tasks(io, ui);
  }

  /** The installed app: the onboarding screens against the server on the command line. */
  public static AppContext create(LaunchOptions options, Executor ui, Map<String, String> env) throws IOException {
    return create(options, AccountSetup.onboarding(options.server()), ui, env);
  }

  /** The app with another way to its account (the demo's); {@link #close} closes {@code setup} too. */
  public static AppContext create(LaunchOptions options, AccountSetup setup, Executor ui, Map<String, String> env)
      throws IOException {
    return new AppContext(options, setup, SettingsStore.open(options.dataDir()), ui, env, Clock.systemUTC(),
        ZoneId.systemDefault());
  }

  /** Starts {@link #prepare} on its own thread (once) and returns its outcome. */
  public synchronized CompletableFuture<Start> prepareAsync() {
    if (prepared == null) {
      prepared = new CompletableFuture<>();
      Thread t = new Thread(() -> {
        try {
          prepared.complete(prepare());
        } catch (Exception | Error e) {
          log.error("Parley could not start", e);
          prepared.completeExceptionally(e);
        }
      }, "parley-start");
      t.setDaemon(true);
      t.start();
    }
    return prepared;
  }

  /** Slow start-up work, off the UI thread: the setup's own (the demo server), opening the database. */
  private Start prepare() throws ParleyException, IOException {
    setup.start();
    StartupMarks.mark("prepare");
    ParleyClient opened = ParleyClient.open(new ClientOptions(dataDir, Optional.empty(), Optional.empty(), clock));
    StartupMarks.mark("client-opened");
    try {
      opened.account();
      client = opened;
      return Start.MAIN;
    } catch (NotRegisteredException e) {
      opened.close();
    }
    if (!setup.registersWithoutOnboarding()) {
      return Start.ONBOARDING;
    }
    ParleyClient fresh = ParleyClient.open(ClientOptions.of(dataDir, setup.server()));
    try {
      setup.register(fresh, store);
      setup.registered(fresh, store);
    } catch (IOException | ParleyException | RuntimeException e) {
      fresh.close();
      throw e;
    }
    client = fresh;
    return Start.MAIN;
  }

  /** The text the window shows while {@link #prepareAsync} runs. */
  public String startingText() {
    return setup.startingText();
  }

  /** The onboarding screens; {@code done} gets the registered client. */
  public OnboardingViewModel onboarding(Consumer<ParleyClient> done) {
    OnboardingViewModel vm = new OnboardingViewModel(setup.server(),
        uri -> ParleyClient.open(ClientOptions.of(dataDir, uri)), setup.codes(), store, io, tasks.ui(), c -> {
          client = c;
          io.execute(() -> {
            try {
              setup.registered(c, store);
            } catch (IOException | ParleyException e) {
              log.warn("After registering: {}", e.getMessage());
            }
          });
          done.accept(c);
        });
    if (!setup.suggestedNumber().isEmpty()) {
      vm.number.set(setup.suggestedNumber());
    }
    return vm;
  }

  /** The main window's ViewModel for the registered client. */
  public MainViewModel main(Notifier notifier) {
    if (main == null) {
      ParleyClient c = client;
      SystemCallAudio audio = new SystemCallAudio(c::calls, store, env);
      audio.checkInBackground(Duration.ofSeconds(3));
      main = new MainViewModel(client, store, tasks, clock, zone, timer, notifier, audio,
          CallCamera.fromEnvironment(env, c::calls));
      main.setVoiceDevices(setup.voiceDevices(new VoiceDevices(new JavaSoundMicrophone(), new JavaSoundSpeaker())));
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
    try (var files = Files.list(dataDir)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        String name = file.getFileName().toString();
        if (name.equals("db.key") || name.startsWith("parley.")) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  /**
   * Map tiles for places: the server from {@code --map-tiles}, else the setting, else OpenStreetMap's; cached in
   * {@code map-tiles/} of the data directory. Made on first use (the first place shown).
   */
  public synchronized TileCache mapTiles() {
    if (tiles == null) {
      try {
        tiles = TileCache.open(dataDir.resolve("map-tiles"), tileServer(), TileCache.DEFAULT_MAX_BYTES);
      } catch (IOException e) {
        log.warn("No map tile cache ({}); places show without maps", e.getMessage());
        try {
          tiles = TileCache.open(Files.createTempDirectory("parley-no-tiles"), TileServer.NONE, 0);
        } catch (IOException again) {
          throw new IllegalStateException("No temporary directory either", again);
        }
      }
    }
    return tiles;
  }

  /** Settings → Maps, over the same cache. */
  public MapSettingsViewModel mapSettings() {
    return new MapSettingsViewModel(store, mapTiles(), options.mapTiles().isPresent());
  }

  /** The tile server in force: the command line's, else the saved setting (if it is valid), else the default. */
  public TileServer tileServer() {
    if (options.mapTiles().isPresent()) {
      return options.mapTiles().get();
    }
    try {
      return store.mapTiles().map(TileServer::parse).orElse(TileServer.OPENSTREETMAP);
    } catch (IllegalArgumentException e) {
      log.warn("map.tiles in desktop.properties: {}; using OpenStreetMap's tiles", e.getMessage());
      return TileServer.OPENSTREETMAP;
    }
  }

  public Theme theme() {
    return options.theme().orElse(store.settings().theme()).resolve(env);
  }

  public Theme resolve(Theme chosen) {
    return chosen.resolve(env);
  }

  public SettingsStore settings() {
    return store;
  }

  public Optional<ParleyClient> client() {
    return Optional.ofNullable(client);
  }

  /** Stops everything this context started; a second call does nothing. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (main != null) {
      main.stop();
    }
    io.shutdownNow();
    timer.shutdownNow();
    if (tiles != null) {
      tiles.close();
    }
    try {
      io.awaitTermination(3, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (client != null) {
      client.close();
      log.info("Closed the local database");
    }
    setup.close();
  }

  private static ThreadFactory daemon(String name) {
    return r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    };
  }
}
