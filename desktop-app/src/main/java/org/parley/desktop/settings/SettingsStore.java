package org.parley.desktop.settings;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The desktop's own preferences and contact names, in {@code desktop.properties} next to client-core's database.
 * Written atomically (temp file, then rename). A damaged value falls back to its default and is reported in
 * {@link #problems()}; the file is never thrown away.
 */
public final class SettingsStore {

  private static final String CONTACT_PREFIX = "contact.name.";
  private static final String SEEN_PREFIX = "identity.seen.";

  private final Path file;
  private final List<String> problems = new ArrayList<>();
  private Settings settings;
  private final Map<String, String> contactNames = new TreeMap<>();
  private final Map<String, Long> identitySeen = new TreeMap<>();
  private Optional<String> audioInput = Optional.empty();
  private Optional<String> audioOutput = Optional.empty();
  private Optional<String> mapTiles = Optional.empty();
  private Optional<Payee> payee = Optional.empty();

  /** Where payment requests ask the money to go: our UPI ID and the name the payer's app shows. */
  public record Payee(String upiId, String name) {}

  private SettingsStore(Path file) {
    this.file = file;
  }

  public static SettingsStore open(Path dataDir) throws IOException {
    Files.createDirectories(dataDir);
    SettingsStore store = new SettingsStore(dataDir.resolve("desktop.properties"));
    store.load();
    return store;
  }

  private void load() throws IOException {
    Properties p = new Properties();
    if (Files.exists(file)) {
      try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(r);
      } catch (IllegalArgumentException e) {
        problems.add(file + " is damaged (" + e.getMessage() + "); using the defaults. The file is kept as "
            + file.getFileName() + ".damaged");
        Files.copy(file, file.resolveSibling(file.getFileName() + ".damaged"), StandardCopyOption.REPLACE_EXISTING);
        p.clear();
      }
    }
    Settings d = Settings.defaults();
    String name = p.getProperty("profile.name", d.profileName()).strip();
    if (name.length() > Settings.MAX_PROFILE_NAME) {
      problems.add("profile.name is longer than " + Settings.MAX_PROFILE_NAME + " characters; shortened");
      name = name.substring(0, Settings.MAX_PROFILE_NAME);
    }
    Theme theme = d.theme();
    String themeText = p.getProperty("theme");
    if (themeText != null) {
      try {
        theme = Theme.valueOf(themeText.strip().toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        problems.add("theme '" + themeText + "' is not one of system, light, dark; using system");
      }
    }
    settings = new Settings(name, theme, bool(p, "notifications", d.notifications()),
        bool(p, "read.receipts", d.readReceipts()));
    audioInput = Optional.ofNullable(p.getProperty("audio.input")).filter(v -> !v.isBlank());
    audioOutput = Optional.ofNullable(p.getProperty("audio.output")).filter(v -> !v.isBlank());
    mapTiles = Optional.ofNullable(p.getProperty("map.tiles")).map(String::strip).filter(v -> !v.isEmpty());
    String upiId = p.getProperty("payee.upi-id", "").strip();
    payee = upiId.isEmpty() ? Optional.empty() : Optional.of(new Payee(upiId, p.getProperty("payee.name", "").strip()));
    for (String key : p.stringPropertyNames()) {
      if (key.startsWith(CONTACT_PREFIX)) {
        contactNames.put(key.substring(CONTACT_PREFIX.length()), p.getProperty(key));
      } else if (key.startsWith(SEEN_PREFIX)) {
        try {
          identitySeen.put(key.substring(SEEN_PREFIX.length()), Long.parseLong(p.getProperty(key).strip()));
        } catch (NumberFormatException e) {
          problems.add(key + " is not a time; the safety number banner will show again");
        }
      }
    }
  }

  private boolean bool(Properties p, String key, boolean fallback) {
    String text = p.getProperty(key);
    if (text == null) {
      return fallback;
    }
    return switch (text.strip().toLowerCase(Locale.ROOT)) {
      case "true", "on", "yes" -> true;
      case "false", "off", "no" -> false;
      default -> {
        problems.add(key + " '" + text + "' is not true or false; using " + fallback);
        yield fallback;
      }
    };
  }

  /** What was wrong with the file when it was read (empty when it was fine). */
  public List<String> problems() {
    return List.copyOf(problems);
  }

  public synchronized Settings settings() {
    return settings;
  }

  public synchronized void save(Settings updated) throws IOException {
    settings = updated;
    write();
  }

  /** The name the person gave {@code number}, if any. */
  public synchronized Optional<String> contactName(String number) {
    return Optional.ofNullable(contactNames.get(number));
  }

  /** Renames a contact; a blank name removes the name so the number shows again. */
  public synchronized void setContactName(String number, String name) throws IOException {
    if (name == null || name.isBlank()) {
      contactNames.remove(number);
    } else {
      contactNames.put(number, name.strip());
    }
    write();
  }

  /** When the person last acknowledged {@code number}'s safety number change (ms), 0 if never. */
  public synchronized long identitySeen(String number) {
    return identitySeen.getOrDefault(number, 0L);
  }

  public synchronized void setIdentitySeen(String number, long changedAt) throws IOException {
    identitySeen.put(number, changedAt);
    write();
  }

  /** The microphone chosen for calls (an id from client-core's device list); empty for the system default. */
  public synchronized Optional<String> audioInput() {
    return audioInput;
  }

  /** The speaker chosen for calls; empty for the system default. */
  public synchronized Optional<String> audioOutput() {
    return audioOutput;
  }

  public synchronized void setAudioDevices(Optional<String> input, Optional<String> output) throws IOException {
    audioInput = input.filter(v -> !v.isBlank());
    audioOutput = output.filter(v -> !v.isBlank());
    write();
  }

  /** The map tile server chosen in Settings ("none" or a URL template, checked by its user); empty: the default. */
  public synchronized Optional<String> mapTiles() {
    return mapTiles;
  }

  public synchronized void setMapTiles(Optional<String> tiles) throws IOException {
    mapTiles = tiles.map(String::strip).filter(v -> !v.isEmpty());
    write();
  }

  /** The UPI ID and name of the last payment request sent, filled in for the next one. */
  public synchronized Optional<Payee> payee() {
    return payee;
  }

  public synchronized void setPayee(Payee p) throws IOException {
    payee = Optional.of(p);
    write();
  }

  private void write() throws IOException {
    Properties p = new Properties();
    p.setProperty("profile.name", settings.profileName());
    p.setProperty("theme", settings.theme().name().toLowerCase(Locale.ROOT));
    p.setProperty("notifications", Boolean.toString(settings.notifications()));
    p.setProperty("read.receipts", Boolean.toString(settings.readReceipts()));
    contactNames.forEach((number, name) -> p.setProperty(CONTACT_PREFIX + number, name));
    identitySeen.forEach((number, at) -> p.setProperty(SEEN_PREFIX + number, Long.toString(at)));
    audioInput.ifPresent(v -> p.setProperty("audio.input", v));
    audioOutput.ifPresent(v -> p.setProperty("audio.output", v));
    mapTiles.ifPresent(v -> p.setProperty("map.tiles", v));
    payee.ifPresent(v -> {
      p.setProperty("payee.upi-id", v.upiId());
      p.setProperty("payee.name", v.name());
    });
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
      p.store(w, "Parley desktop settings");
    }
    try {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
