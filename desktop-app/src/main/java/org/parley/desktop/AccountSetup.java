package org.parley.desktop;

import java.io.IOException;
import java.net.URI;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import org.parley.desktop.settings.SettingsStore;
import org.parley.desktop.vm.CodeSource;
import org.parley.desktop.vm.VoiceDevices;

/**
 * How a run of the app reaches a registered account, and what it starts around it: the seam for a launcher that
 * embeds the app. The installed app uses {@link #onboarding}: the onboarding screens against the server on the
 * command line. The demo module brings its own (an embedded server, a number registered without the screens, the
 * Echo bot). The launcher hands it to {@link AppContext#create} explicitly; nothing is looked up.
 */
public interface AccountSetup extends AutoCloseable {

  /** The onboarding screens, registering with {@code server} (the person may change it under "Advanced"). */
  static AccountSetup onboarding(URI server) {
    return () -> server;
  }

  /** The server a new account registers with. */
  URI server();

  /** Slow work before the local database opens; runs off the FX thread while the window shows a splash. */
  default void start() throws IOException, ParleyException {}

  /** What the splash says while {@link #start} and the database open run. */
  default String startingText() {
    return "Opening your chats…";
  }

  /** Where verification codes can be read without a phone; {@link CodeSource#NONE} for a real server. */
  default CodeSource codes() {
    return CodeSource.NONE;
  }

  /** The national number the phone screen starts with; empty for none. */
  default String suggestedNumber() {
    return "";
  }

  /** True when a new account is registered by {@link #register}, without the onboarding screens. */
  default boolean registersWithoutOnboarding() {
    return false;
  }

  /** Registers {@code client} (opened against {@link #server}), when {@link #registersWithoutOnboarding}. */
  default void register(ParleyClient client, SettingsStore settings) throws IOException, ParleyException {
    throw new IllegalStateException("This setup registers through the onboarding screens");
  }

  /** A new account was just registered (by the screens or by {@link #register}); called off the FX thread. */
  default void registered(ParleyClient client, SettingsStore settings) throws IOException, ParleyException {}

  /** The microphone and speaker for voice notes, given the system's (Java Sound); the demo adds a generated voice. */
  default VoiceDevices voiceDevices(VoiceDevices system) {
    return system;
  }

  /** Stops what {@link #start} started; called after the app closed its client. */
  @Override
  default void close() {}
}
