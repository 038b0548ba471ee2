package org.parley.desktop.vm;

import org.parley.client.api.ParleyClient;

/**
 * Settings → Registration lock, on the primary device: sets, changes or removes the PIN that registering this number
 * again needs besides the SMS code. Whether a lock is set comes from the server, so a PIN set from the CLI shows too.
 */
public final class RegistrationLockViewModel {

  public static final int MIN_PIN = 4;
  static final int MAX_PIN = 64;

  /** Null until the server has answered. */
  public final Value<Boolean> lockSet = new Value<>(null);
  public final Value<Boolean> busy = new Value<>(false);
  public final Value<String> status = new Value<>("");
  public final Value<String> error = new Value<>("");

  private final ParleyClient client;
  private final Tasks tasks;

  public RegistrationLockViewModel(ParleyClient client, Tasks tasks) {
    this.client = client;
    this.tasks = tasks;
  }

  public void load() {
    tasks.run(client::registrationLockSet, this::show, error::set);
  }

  /** Sets the lock, or replaces its PIN; the two entries must match. */
  public void setPin(String pin, String repeated) {
    String p = pin == null ? "" : pin;
    if (p.length() < MIN_PIN || p.length() > MAX_PIN) {
      error.set("A PIN has " + MIN_PIN + " to " + MAX_PIN + " characters");
      return;
    }
    if (!p.equals(repeated)) {
      error.set("The two PINs differ: type the same PIN twice");
      return;
    }
    run(() -> {
      client.setRegistrationLock(p);
      return true;
    });
  }

  public void remove() {
    run(() -> {
      client.removeRegistrationLock();
      return false;
    });
  }

  private void run(Tasks.Call<Boolean> call) {
    error.set("");
    busy.set(true);
    tasks.run(call, set -> {
      busy.set(false);
      show(set);
    }, message -> {
      busy.set(false);
      error.set(message);
    });
  }

  private void show(boolean set) {
    lockSet.set(set);
    status.set(set
        ? "On: registering this number on a new phone or computer needs this PIN as well as the SMS code. Keep it"
            + " somewhere safe; the lock lapses after a week without this account being used."
        : "Off: the SMS code alone registers this number again. Set a PIN so that someone who gets a code sent to"
            + " your number cannot take over your account.");
  }
}
