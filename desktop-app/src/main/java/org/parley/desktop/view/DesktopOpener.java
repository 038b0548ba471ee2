package org.parley.desktop.view;

import java.awt.Desktop;
import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.parley.desktop.vm.Opener;

/**
 * Opens a file with the desktop's default application: AWT's Desktop where it works, else the platform's command
 * ({@code xdg-open}, {@code open}, {@code start}). Called off the FX thread (both can block for a while).
 */
final class DesktopOpener implements Opener {

  @Override
  public void open(Path file) throws IOException {
    if (!GraphicsEnvironment.isHeadless() && Desktop.isDesktopSupported()
        && Desktop.getDesktop().isSupported(Desktop.Action.OPEN)) {
      Desktop.getDesktop().open(file.toFile());
      return;
    }
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    List<String> command = os.contains("mac") ? List.of("open", file.toString())
        : os.contains("win") ? List.of("cmd", "/c", "start", "", file.toString())
        : List.of("xdg-open", file.toString());
    try {
      new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new IOException("No application to open it with (" + command.get(0) + ": " + e.getMessage() + ")", e);
    }
  }
}
