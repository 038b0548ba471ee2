package org.parley.demo;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import org.parley.desktop.AccountSetup;
import org.parley.desktop.settings.SettingsStore;
import org.parley.desktop.vm.CodeSource;
import org.parley.desktop.vm.VoiceDevices;

/**
 * {@code --demo}'s way to an account: starts the {@link DemoEnvironment} (server and Echo) while the window opens,
 * registers the demo number with the code from the server's SMS outbox (or, with {@code --onboarding}, fills the
 * number and the code into the onboarding screens), then has Echo say hello. Closing it stops Echo and the server
 * and deletes the temporary directory the demo made.
 */
public final class DemoSetup implements AccountSetup {

  /** The profile name of the demo user registered without the onboarding screens. */
  static final String PROFILE_NAME = "Demo user";

  /** How long Echo shows "typing…" before it answers. */
  private static final long ECHO_TYPING_MILLIS = 1200;

  private final Path demoDir;
  private final boolean onboarding;
  private final Optional<Path> temporaryRoot;
  private volatile DemoEnvironment environment;

  /**
   * @param demoDir where the server and Echo keep their data
   * @param onboarding go through the registration screens instead of registering at once
   * @param temporaryRoot a directory the demo made for this run, deleted when it closes
   */
  public DemoSetup(Path demoDir, boolean onboarding, Optional<Path> temporaryRoot) {
    this.demoDir = demoDir;
    this.onboarding = onboarding;
    this.temporaryRoot = temporaryRoot;
  }

  /** The server and Echo, once {@link #start} has run. */
  public Optional<DemoEnvironment> environment() {
    return Optional.ofNullable(environment);
  }

  /** Where the demo keeps its own data (the server's, Echo's, the screenshot tour's extra users). */
  public Path demoDir() {
    return demoDir;
  }

  @Override
  public void start() throws IOException, ParleyException {
    environment = DemoEnvironment.start(demoDir, ECHO_TYPING_MILLIS);
  }

  @Override
  public String startingText() {
    return "Starting the demo server…";
  }

  @Override
  public URI server() {
    return started().serverUrl();
  }

  @Override
  public CodeSource codes() {
    return started().codes();
  }

  @Override
  public String suggestedNumber() {
    return DemoEnvironment.USER_NUMBER.substring(2);
  }

  @Override
  public boolean registersWithoutOnboarding() {
    return !onboarding;
  }

  @Override
  public void register(ParleyClient client, SettingsStore settings) throws IOException, ParleyException {
    started().registerUser(client);
    settings.save(settings.settings().withProfileName(PROFILE_NAME));
  }

  @Override
  public void registered(ParleyClient client, SettingsStore settings) throws IOException, ParleyException {
    started().introduceEcho(settings, client.account().number());
  }

  /** On a computer without a microphone the demo records a made-up voice, so the recorder can be tried. */
  @Override
  public VoiceDevices voiceDevices(VoiceDevices system) {
    return DemoVoice.withVoiceFallback(system);
  }

  @Override
  public void close() {
    DemoEnvironment started = environment;
    if (started != null) {
      started.close();
    }
    temporaryRoot.ifPresent(DemoSetup::deleteQuietly);
  }

  private DemoEnvironment started() {
    DemoEnvironment started = environment;
    if (started == null) {
      throw new IllegalStateException("The demo server has not been started");
    }
    return started;
  }

  private static void deleteQuietly(Path dir) {
    try (var paths = Files.walk(dir)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException ignored) {
      // a temporary directory; the OS cleans it up eventually
    }
  }
}
