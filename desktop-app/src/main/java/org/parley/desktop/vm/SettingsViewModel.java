package org.parley.desktop.vm;

import java.io.IOException;
import java.util.List;
import java.util.function.UnaryOperator;
import org.parley.client.api.AccountInfo;
import org.parley.client.api.LinkedDevice;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.ParleyException;
import org.parley.desktop.settings.Settings;
import org.parley.desktop.settings.SettingsStore;
import org.parley.desktop.settings.Theme;

/** Settings: profile name, theme, notifications, read receipts, and this device's details. */
public final class SettingsViewModel {

  public final Value<Settings> settings;
  public final Value<String> device = new Value<>("");
  public final Value<String> error = new Value<>("");
  /** The account's devices (Settings → Linked devices); a primary may unlink the others. */
  public final Value<List<LinkedDevice>> devices = new Value<>(List.of());
  public final Value<Boolean> primary = new Value<>(false);
  /** Only the primary device may set or remove the lock, so the view shows it there only. */
  public final RegistrationLockViewModel registrationLock;

  private final ParleyClient client;
  private final SettingsStore store;
  private final Tasks tasks;

  public SettingsViewModel(ParleyClient client, SettingsStore store, Tasks tasks) {
    this.client = client;
    this.store = store;
    this.tasks = tasks;
    this.settings = new Value<>(store.settings());
    this.registrationLock = new RegistrationLockViewModel(client, tasks);
  }

  public void load() {
    tasks.run(client::account, this::describe, error::set);
    loadDevices();
    tasks.run(() -> {
      client.setReadReceipts(store.settings().readReceipts());
      return null;
    }, x -> { }, error::set);
  }

  /** Asks the server for the account's devices. */
  public void loadDevices() {
    tasks.run(client::devices, list -> {
      devices.set(list);
      boolean weArePrimary = list.stream().anyMatch(d -> d.thisDevice() && d.primary());
      if (weArePrimary && !primary.get()) {
        registrationLock.load();
      }
      primary.set(weArePrimary);
    }, error::set);
  }

  /** On the primary: unlinks a device, then shows the list again. */
  public void unlink(int deviceId) {
    error.set("");
    tasks.run(() -> {
      client.unlink(deviceId);
      return client.devices();
    }, list -> devices.set(list), error::set);
  }

  private void describe(AccountInfo a) {
    device.set("Phone number: " + a.number() + "\nDevice: " + a.deviceId() + (a.deviceId() == 1 ? " (primary)" : "")
        + "\nAccount: " + a.accountId() + "\nServer: " + a.serverUrl());
  }

  public void setProfileName(String name) {
    String n = name == null ? "" : name.strip();
    if (n.isEmpty()) {
      error.set("The profile name cannot be empty");
      return;
    }
    if (n.length() > Settings.MAX_PROFILE_NAME) {
      error.set("A name is at most " + Settings.MAX_PROFILE_NAME + " characters");
      return;
    }
    update(s -> s.withProfileName(n));
  }

  public void setTheme(Theme theme) {
    update(s -> s.withTheme(theme));
  }

  public void setNotifications(boolean on) {
    update(s -> s.withNotifications(on));
  }

  public void setReadReceipts(boolean on) {
    update(s -> s.withReadReceipts(on));
    tasks.run(() -> {
      client.setReadReceipts(on);
      return null;
    }, x -> { }, error::set);
  }

  private void update(UnaryOperator<Settings> change) {
    Settings updated = change.apply(settings.get());
    error.set("");
    settings.set(updated);
    tasks.run(() -> {
      try {
        store.save(updated);
      } catch (IOException e) {
        throw new ParleyException("Cannot save the settings: " + e.getMessage(), e);
      }
      return null;
    }, x -> { }, error::set);
  }
}
