package org.parley.desktop.vm;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.parley.client.api.LinkProgress;
import org.parley.client.api.LinkResult;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import org.parley.client.api.RegistrationLockedException;
import org.parley.desktop.settings.Settings;
import org.parley.desktop.settings.SettingsStore;

/**
 * First run: register this computer with a phone number (country + number → code → profile name), or the "link to
 * my phone" screen. Client calls run on {@code io}; state changes on {@code ui}.
 */
public final class OnboardingViewModel {

  /** Where the person is. */
  public enum Step {
    WELCOME, PHONE, CODE, PROFILE, LINK, DONE
  }

  /**
   * The state of the "link to my phone" screen: asking the server for a provisioning address, showing the QR code
   * ({@link #linkUri}, replaced when it expires), registering once the phone answered, or failed ({@link #error}).
   */
  public enum LinkState {
    STARTING, WAITING_FOR_PHONE, LINKING, FAILED
  }

  /** How long the link screen waits for the phone before it gives up (the QR code itself refreshes meanwhile). */
  static final Duration LINK_TIMEOUT = Duration.ofMinutes(15);

  public final Value<Step> step = new Value<>(Step.WELCOME);
  public final Value<Country> country = new Value<>(Country.ALL.get(0));
  public final Value<String> number = new Value<>("");
  public final Value<String> code = new Value<>("");
  public final Value<String> profileName = new Value<>("");
  /** The registration-lock PIN, asked for once the server said the number has a lock. */
  public final Value<String> pin = new Value<>("");
  public final Value<Boolean> pinNeeded = new Value<>(false);
  public final Value<String> server;
  public final Value<String> error = new Value<>("");
  public final Value<String> hint = new Value<>("");
  public final Value<Boolean> busy = new Value<>(false);
  public final Value<LinkState> linkState = new Value<>(LinkState.STARTING);
  /** The {@code parley://link?...} URI the QR code shows; empty until the server gave an address. */
  public final Value<String> linkUri = new Value<>("");

  private final ClientFactory factory;
  private final CodeSource codes;
  private final SettingsStore settings;
  private final Executor io;
  private final Executor ui;
  private final Consumer<ParleyClient> done;
  private ParleyClient client;
  private URI clientServer;
  private String e164;
  private volatile Thread linkThread;
  private volatile boolean linkCancelled;

  public OnboardingViewModel(URI defaultServer, ClientFactory factory, CodeSource codes, SettingsStore settings,
      Executor io, Executor ui, Consumer<ParleyClient> done) {
    this.server = new Value<>(defaultServer.toString());
    this.factory = factory;
    this.codes = codes;
    this.settings = settings;
    this.io = io;
    this.ui = ui;
    this.done = done;
  }

  public void chooseRegister() {
    error.set("");
    step.set(Step.PHONE);
  }

  /**
   * Shows the link screen and starts linking: a QR code for the phone's {@code add-device}, a new one whenever the
   * server expires the old, then registration, then the chat list.
   */
  public void chooseLink() {
    error.set("");
    linkUri.set("");
    linkState.set(LinkState.STARTING);
    step.set(Step.LINK);
    URI serverUri;
    try {
      serverUri = parseServer(server.get());
    } catch (IllegalArgumentException e) {
      linkFailed(e.getMessage());
      return;
    }
    linkCancelled = false;
    io.execute(() -> {
      linkThread = Thread.currentThread();
      try {
        ParleyClient c = clientFor(serverUri);
        LinkResult linked = c.link(deviceName(), new LinkProgress() {
          @Override
          public void showLink(String uri) {
            ui.execute(() -> {
              linkUri.set(uri);
              linkState.set(LinkState.WAITING_FOR_PHONE);
            });
          }

          @Override
          public void linking() {
            ui.execute(() -> linkState.set(LinkState.LINKING));
          }
        }, LINK_TIMEOUT);
        linkThread = null;
        if (!linked.profileName().isBlank()) {
          try {
            settings.save(settings.settings().withProfileName(linked.profileName().strip()));
          } catch (IOException | RuntimeException e) {
            // The name can be set in Settings; the link itself worked.
          }
        }
        ui.execute(() -> {
          step.set(Step.DONE);
          done.accept(c);
        });
      } catch (InterruptedException e) {
        // Back was pressed.
      } catch (ParleyException | RuntimeException e) {
        if (!linkCancelled) {
          String message = e.getMessage() == null ? e.toString() : e.getMessage();
          ui.execute(() -> linkFailed(message));
        }
      } finally {
        linkThread = null;
        Thread.interrupted();
      }
    });
  }

  private void linkFailed(String message) {
    linkState.set(LinkState.FAILED);
    error.set(message);
  }

  /** Stops waiting for the phone (not once the phone has answered: registration then runs to its end). */
  private void cancelLink() {
    linkCancelled = true;
    Thread t = linkThread;
    if (t != null && linkState.get() != LinkState.LINKING) {
      t.interrupt();
    }
  }

  private static String deviceName() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (IOException | RuntimeException e) {
      host = System.getProperty("os.name", "computer");
    }
    String name = "Desktop (" + host + ")";
    return name.length() > 100 ? name.substring(0, 100) : name;
  }

  public void back() {
    error.set("");
    if (step.get() == Step.LINK) {
      cancelLink();
    }
    step.set(switch (step.get()) {
      case CODE -> Step.PHONE;
      case PHONE, LINK -> Step.WELCOME;
      default -> step.get();
    });
  }

  /** Checks the number and asks the server for a code. */
  public void requestCode() {
    String wanted;
    URI serverUri;
    try {
      wanted = country.get().toE164(number.get());
      serverUri = parseServer(server.get());
    } catch (IllegalArgumentException e) {
      error.set(e.getMessage());
      return;
    }
    run(() -> {
      ParleyClient c = clientFor(serverUri);
      c.requestCode(wanted);
      Optional<String> known = codes.codeFor(wanted);
      ui.execute(() -> {
        e164 = wanted;
        code.set(known.orElse(""));
        hint.set(known.isPresent() ? "Demo: the code was filled in from the demo server's SMS outbox."
            : "We sent a code to " + wanted + ".");
        step.set(Step.CODE);
      });
    });
  }

  /** Sends the code; on success asks for a profile name. */
  public void verify() {
    String typed = code.get() == null ? "" : code.get().replaceAll("[\\s-]", "");
    if (!typed.matches("[0-9]{4,8}")) {
      error.set("The code is the 6 digits we sent you");
      return;
    }
    String typedPin = pinNeeded.get() ? pin.get().strip() : null;
    if (typedPin != null && typedPin.length() < 4) {
      error.set("The PIN has at least 4 characters");
      return;
    }
    ParleyClient c = client;
    run(() -> {
      try {
        c.verify(typed, typedPin);
      } catch (RegistrationLockedException locked) {
        String message = registrationLocked(locked);
        ui.execute(() -> {
          pinNeeded.set(true);
          pin.set("");
          error.set(message);
        });
        return;
      }
      ui.execute(() -> step.set(Step.PROFILE));
    });
  }

  /** What to tell a person whose number has a registration lock. */
  static String registrationLocked(RegistrationLockedException locked) {
    long days = Math.max(1, (locked.timeRemaining().toHours() + 23) / 24);
    String lapse = "If you do not have it, you can register this number without it in " + days
        + (days == 1 ? " day" : " days") + " unless it is used meanwhile.";
    return locked.pinGiven() ? "That PIN is not right. " + lapse
        : "This number has a registration lock: enter the PIN its owner set. " + lapse;
  }

  /** Saves the profile name and finishes. */
  public void finish() {
    String name = profileName.get() == null ? "" : profileName.get().strip();
    if (name.isEmpty()) {
      error.set("Enter a name people will see");
      return;
    }
    if (name.length() > Settings.MAX_PROFILE_NAME) {
      error.set("A name is at most " + Settings.MAX_PROFILE_NAME + " characters");
      return;
    }
    ParleyClient c = client;
    run(() -> {
      try {
        settings.save(settings.settings().withProfileName(name));
      } catch (IOException e) {
        throw new ParleyException("Cannot save the profile name: " + e.getMessage(), e);
      }
      ui.execute(() -> {
        step.set(Step.DONE);
        done.accept(c);
      });
    });
  }

  /** The number being registered (E.164), once a code was requested. */
  public String registeringNumber() {
    return e164;
  }

  private ParleyClient clientFor(URI serverUri) throws ParleyException {
    if (client == null || !serverUri.equals(clientServer)) {
      if (client != null) {
        client.close();
      }
      client = factory.open(serverUri);
      clientServer = serverUri;
    }
    return client;
  }

  static URI parseServer(String text) {
    String t = text == null ? "" : text.strip();
    try {
      URI uri = new URI(t);
      if (uri.getScheme() == null || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        throw new IllegalArgumentException("The server address must look like https://chat.example.org");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("The server address must look like https://chat.example.org", e);
    }
  }

  /** What the client throws, as a sentence for the person. */
  private interface Work {
    void run() throws ParleyException;
  }

  private void run(Work work) {
    error.set("");
    busy.set(true);
    io.execute(() -> {
      try {
        work.run();
        ui.execute(() -> busy.set(false));
      } catch (ParleyException | RuntimeException e) {
        String message = e.getMessage() == null ? e.toString() : e.getMessage();
        ui.execute(() -> {
          busy.set(false);
          error.set(message);
        });
      }
    });
  }
}
