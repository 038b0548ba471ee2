package org.parley.desktop.view;

import java.awt.Desktop;
import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens a web link in the user's browser: AWT's Desktop where it can browse, else the platform's command
 * ({@code xdg-open}, {@code open}, {@code start}). Runs on its own short-lived thread: both can block for a while.
 */
final class LinkBrowser {

  private static final Logger log = LoggerFactory.getLogger(LinkBrowser.class);

  private LinkBrowser() {}

  static void open(URI link) {
    Thread opener = new Thread(() -> {
      try {
        browse(link);
      } catch (IOException | RuntimeException e) {
        log.warn("cannot open {} in a browser: {}", link, e.getMessage());
      }
    }, "parley-browse");
    opener.setDaemon(true);
    opener.start();
  }

  private static void browse(URI link) throws IOException {
    if (!GraphicsEnvironment.isHeadless() && Desktop.isDesktopSupported()
        && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
      Desktop.getDesktop().browse(link);
      return;
    }
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    List<String> command = os.contains("mac") ? List.of("open", link.toString())
        : os.contains("win") ? List.of("rundll32", "url.dll,FileProtocolHandler", link.toString())
        : List.of("xdg-open", link.toString());
    new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
  }
}
