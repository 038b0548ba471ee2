package org.parley.desktop.vm;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
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

  /** The state of the "link to my phone" screen. Linking itself is a later issue. */
  public enum LinkState {
    WAITING_FOR_PHONE, NOT_AVAILABLE
  }

  public final Value<Step> step = new Value<>(Step.WELCOME);
  public final Value<Country> country = new Value<>(Country.ALL.get(0));
  public final Value<String> number = new Value<>("");
  public final Value<String> code = new Value<>("");
  public final Value<String> profileName = new Value<>("");
  public final Value<String> server;
  public final Value<String> error = new Value<>("");
  public final Value<String> hint = new Value<>("");
  public final Value<Boolean> busy = new Value<>(false);
  public final Value<LinkState> linkState = new Value<>(LinkState.WAITING_FOR_PHONE);

  private final ClientFactory factory;
  private final CodeSource codes;
  private final SettingsStore settings;
  private final Executor io;
  private final Executor ui;
  private final Consumer<ParleyClient> done;
  private ParleyClient client;
  private URI clientServer;
  private String e164;

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

  public void chooseLink() {
    error.set("");
    linkState.set(LinkState.WAITING_FOR_PHONE);
    step.set(Step.LINK);
  }

  /** From the link screen: linking needs a phone app that can scan, which Parley does not have yet. */
  public void linkTimedOut() {
    linkState.set(LinkState.NOT_AVAILABLE);
  }

  public void back() {
    error.set("");
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
    ParleyClient c = client;
    run(() -> {
      c.verify(typed);
      ui.execute(() -> step.set(Step.PROFILE));
    });
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
