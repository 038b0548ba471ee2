package org.parley.demo.tools;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import javafx.application.Platform;
import org.parley.desktop.AppContext;
import org.parley.desktop.DesktopApp;
import org.parley.desktop.StartupMarks;
import org.parley.desktop.view.AppWindow;
import org.parley.desktop.vm.ChatSummary;
import org.parley.desktop.vm.ConversationRow;
import org.parley.desktop.vm.ConversationViewModel;
import org.parley.desktop.vm.MainViewModel;
import org.parley.desktop.vm.Rows;

/**
 * {@code --measure-startup}: prints how long after the JVM started the chat list was on screen and the newest
 * chat's messages were shown, and the process's resident memory then; exits. Used by the desktop benchmark
 * ({@code demo/scripts/benchmark.sh}).
 */
public final class StartupProbe {

  private StartupProbe() {}

  /** The probe as the app's window tool. */
  public static void run(AppWindow window, AppContext context, DesktopApp app) {
    long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
    window.mainShown().thenAccept(main -> Platform.runLater(() -> {
      // observe() calls back at once with the current list, before it returns its handle: the list may already
      // be loaded (the probe then used to wait forever), so "done" is a flag, and the handle is dropped later.
      boolean[] done = new boolean[1];
      Runnable[] handle = new Runnable[1];
      handle[0] = main.chatList.chats.observe(chats -> {
        if (!chats.isEmpty() && !done[0]) {
          done[0] = true;
          Platform.runLater(() -> {
            handle[0].run();
            chatListShown(main, chats.get(0), jvmStart, app);
          });
        }
      });
    }));
  }

  private static void chatListShown(MainViewModel main, ChatSummary first, long jvmStart, DesktopApp app) {
    System.out.println("chat-list-ms " + (System.currentTimeMillis() - jvmStart));
    long openStart = System.nanoTime();
    main.open(first.number(), Optional.empty());
    ConversationViewModel c = main.current.get().orElseThrow();
    c.rows.observe(new Rows.Listener<>() {
      private boolean done;

      @Override
      public void reset(List<ConversationRow> all) {
        if (!all.isEmpty() && !done) {
          done = true;
          Platform.runLater(() -> {
            System.out.println("open-chat-ms " + (System.nanoTime() - openStart) / 1_000_000);
            System.out.println("chat-shown-ms " + (System.currentTimeMillis() - jvmStart));
            System.gc();
            System.out.println("rss-mb " + rssMegabytes());
            new TreeMap<>(StartupMarks.all()).forEach((k, v) -> System.out.println("mark " + k + " " + v));
            System.out.flush();
            app.exit(0);
          });
        }
      }

      @Override
      public void inserted(int index, List<ConversationRow> rows) {}

      @Override
      public void replaced(int index, ConversationRow row) {}

      @Override
      public void removed(int index) {}
    });
  }

  static long rssMegabytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }
}
