package org.parley.demo.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.parley.client.api.ClientOptions;
import org.parley.client.api.Contact;
import org.parley.client.api.OutgoingText;
import org.parley.client.api.ParleyClient;
import org.parley.desktop.settings.SettingsStore;
import org.parley.desktop.vm.ChatListViewModel;
import org.parley.desktop.vm.ConversationViewModel;
import org.parley.desktop.vm.Tasks;
import org.parley.server.support.TestServer;
import org.parley.testing.Users;

/**
 * The desktop benchmark (not a test): a real account with one conversation of N messages (100,000 by default),
 * received through a real server and stored by client-core; then
 * <ol>
 *   <li>open the conversation (first page) and load one older page, through the ViewModel, in this JVM;</li>
 *   <li>search the conversation for a word in its oldest message, through the chat list ViewModel;</li>
 *   <li>start the real app (a new JVM, under Xvfb when there is no display) on that account and report the time
 *       from JVM start to the chat list, to the open conversation, and its RSS then.</li>
 * </ol>
 * Run with {@code demo/scripts/benchmark.sh [messages]}. The account is kept in {@code demo/target/bench-N} and
 * reused by later runs.
 */
public final class DesktopBenchmark {

  private static final String NEEDLE = "platypus";

  public static void main(String[] args) throws Exception {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
    int runs = 7;
    Path root = Path.of(args.length > 1 ? args[1] : "target/bench-" + n).toAbsolutePath();
    Path me = root.resolve("me");
    String peerNumber = populate(root, me, n);
    markAllRead(root, me, peerNumber);

    Executor direct = Runnable::run;
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    try (ParleyClient client = ParleyClient.open(new ClientOptions(me, Optional.empty(), Optional.empty(),
        Clock.systemUTC()))) {
      Tasks tasks = new Tasks(direct, direct);
      SettingsStore store = SettingsStore.open(me);
      List<Long> open = new ArrayList<>();
      List<Long> older = new ArrayList<>();
      List<Long> search = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        long t0 = System.nanoTime();
        ConversationViewModel vm = new ConversationViewModel(peerNumber, "Peer", false, client, tasks,
            Clock.systemUTC(), ZoneId.systemDefault(), timer);
        vm.open(Optional.empty());
        long t1 = System.nanoTime();
        vm.loadOlder();
        long t2 = System.nanoTime();
        check(vm.rows.size() > ConversationViewModel.PAGE, "older page loaded");
        open.add(t1 - t0);
        older.add(t2 - t1);

        ChatListViewModel list = new ChatListViewModel(client, store, tasks, Clock.systemUTC(),
            ZoneId.systemDefault());
        list.refresh();
        long s0 = System.nanoTime();
        list.search(NEEDLE);
        long s1 = System.nanoTime();
        search.add(s1 - s0);
        if (i == 0) {
          System.out.println("search hits: " + list.hits.get().size() + " (the needle is the oldest message; "
              + "the search covers every message)");
        }
      }
      System.out.printf("open conversation (first page of %d): median %.1f ms of %s%n", ConversationViewModel.PAGE,
          median(open), millis(open));
      System.out.printf("load one older page: median %.1f ms of %s%n", median(older), millis(older));
      System.out.printf("search '%s' in %,d messages: median %.1f ms of %s%n", NEEDLE, n, median(search),
          millis(search));
    } finally {
      timer.shutdownNow();
    }
    coldStarts(me, 5, List.of());
    // The same with a class data sharing archive, as bin/parley-desktop uses from its second start on.
    Path jsa = Files.createTempDirectory("parley-cds").resolve("app.jsa");
    coldStarts(me, 1, List.of("-XX:ArchiveClassesAtExit=" + jsa, "-Xlog:cds=off", "-Xlog:cds+dynamic=off"));
    System.out.println("with a class data sharing archive:");
    try {
      coldStarts(me, 5, List.of("-XX:SharedArchiveFile=" + jsa, "-Xlog:cds=off"));
    } finally {
      Files.deleteIfExists(jsa);
      Files.deleteIfExists(jsa.getParent());
    }
  }

  /** Registers two users on a local server and has one send {@code n} messages to the other (once). */
  private static String populate(Path root, Path me, int n) throws Exception {
    Path marker = root.resolve("populated");
    if (Files.exists(marker)) {
      return Files.readString(marker).strip();
    }
    Files.createDirectories(root);
    long t0 = System.nanoTime();
    try (TestServer server = TestServer.start()) {
      String myNumber = Users.newNumber();
      String peerNumber = Users.newNumber();
      try (ParleyClient mine = Users.register(server, myNumber, me);
          ParleyClient peer = Users.register(server, peerNumber, root.resolve("peer"))) {
        mine.connect();
        peer.connect();
        // The account writes first, as people do with someone they talk to: the server then never holds the peer's
        // burst back as a stranger's (ADR 0170).
        mine.send(peerNumber, "Hello!");
        peer.send(myNumber, "The first message mentions a " + NEEDLE + ".");
        // Queued 500 at a time (one transaction each, sendAll) and in bursts the server's per-device queue cap
        // (ADR 0170) can hold while the account drains it.
        List<OutgoingText> texts = new ArrayList<>();
        for (int i = 1; i < n; i++) {
          texts.add(new OutgoingText(myNumber,
              "Message " + i + ": some ordinary words about lunch, trains and the weather."));
          if (texts.size() == 500 || i == n - 1) {
            peer.sendAll(texts);
            texts.clear();
          }
          if (i % 10_000 == 0) {
            peer.awaitOutboxEmpty(Duration.ofMinutes(10));
            System.out.printf("sent %,d in %.0f s; files: %,d kB receiving, %,d kB sending%n", i,
                (System.nanoTime() - t0) / 1e9, Files.size(me.resolve("parley.mv.db")) / 1024,
                Files.size(root.resolve("peer").resolve("parley.mv.db")) / 1024);
          }
        }
        peer.awaitOutboxEmpty(Duration.ofMinutes(30));
        while (true) {
          List<Contact> contacts = mine.contacts();
          int unread = contacts.isEmpty() ? 0 : contacts.get(0).unread();
          if (unread >= n) {
            break;
          }
          System.out.println("stored " + unread);
          Thread.sleep(2000);
        }
        SettingsStore.open(me).save(SettingsStore.open(me).settings().withProfileName("Bench"));
      }
      Files.writeString(marker, peerNumber);
      System.out.printf("populated %,d messages in %.0f s%n", n, (System.nanoTime() - t0) / 1e9);
      return peerNumber;
    }
  }

  /**
   * A long history is a read one: marks everything read once (the read receipts wait in the outbox; the measured
   * runs have no server), so start-up is not measured on 100,000 unread messages.
   */
  private static void markAllRead(Path root, Path me, String peerNumber) throws Exception {
    Path marker = root.resolve("read");
    if (Files.exists(marker)) {
      return;
    }
    long t0 = System.nanoTime();
    try (ParleyClient client = ParleyClient.open(new ClientOptions(me, Optional.empty(), Optional.empty(),
        Clock.systemUTC()))) {
      // Without receipts: they would be 200 outbox rows (500 timestamps each) that the measured starts, which have
      // no server, would keep trying to send.
      client.setReadReceipts(false);
      int n = client.markRead(peerNumber);
      client.setReadReceipts(true);
      System.out.printf("marked %,d messages read in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
    }
    Files.writeString(marker, "read");
  }

  /**
   * Starts the real app in new JVMs, as bin/parley-desktop starts it with {@code --measure-startup} (the demo
   * module's packaged jar with its lib/, libsignal's native library from target/native, the app's JVM options), and
   * reads what the start-up probe prints.
   */
  private static void coldStarts(Path me, int runs, List<String> jvmOptions) throws Exception {
    Path jar;
    try (var files = Files.list(Path.of("target"))) {
      jar = files.filter(f -> f.getFileName().toString().matches("demo-[^-]+(-SNAPSHOT)?\\.jar")).findFirst()
          .orElseThrow(() -> new IllegalStateException("no packaged demo jar in target/"));
    }
    String os = System.getProperty("os.name").startsWith("Mac") ? "macos"
        : System.getProperty("os.name").startsWith("Windows") ? "windows" : "linux";
    String arch = System.getProperty("os.arch").equals("x86_64") ? "amd64" : System.getProperty("os.arch");
    Path nativeDir = Path.of("target", "native", os + "-" + arch).toAbsolutePath();
    List<String> command = new ArrayList<>();
    if (System.getenv("DISPLAY") == null) {
      command.addAll(List.of("xvfb-run", "-a", "-s", "-screen 0 1280x800x24"));
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    // The options bin/parley-desktop starts the app with.
    for (String line : Files.readAllLines(Path.of("..", "desktop-app", "jvm.options"))) {
      if (!line.isBlank() && !line.startsWith("#")) {
        command.add(line.strip());
      }
    }
    command.add("-Djava.library.path=" + nativeDir);
    command.addAll(jvmOptions);
    command.addAll(List.of("-Dprism.order=sw", "-jar", jar.toString(), "--data-dir", me.toString(), "--server",
        "http://127.0.0.1:9", "--measure-startup"));
    Map<String, List<Long>> values = new HashMap<>();
    for (int i = 0; i < runs; i++) {
      Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
          StandardCharsets.UTF_8))) {
        String line;
        while ((line = r.readLine()) != null) {
          String[] parts = line.split(" ");
          if (parts.length == 2 && parts[0].endsWith("-ms") || line.startsWith("rss-mb ")) {
            values.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Long.parseLong(parts[1]));
          }
        }
      }
      p.waitFor();
    }
    for (String key : Arrays.asList("chat-list-ms", "chat-shown-ms", "open-chat-ms", "rss-mb")) {
      List<Long> v = values.getOrDefault(key, List.of());
      System.out.printf("cold start %s: median %s of %s%n", key,
          v.isEmpty() ? "n/a" : String.format("%.0f", median(v) * 1e6), v);
    }
  }

  /** The runs in order, in ms: the first ones include class loading and an unwarmed JIT. */
  private static String millis(List<Long> nanos) {
    return nanos.stream().map(v -> String.format("%.1f", v / 1e6)).toList().toString();
  }

  private static double median(List<Long> nanos) {
    List<Long> sorted = new ArrayList<>(nanos);
    sorted.sort(null);
    return sorted.get(sorted.size() / 2) / 1e6;
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new IllegalStateException("benchmark sanity check failed: " + what);
    }
  }
}
