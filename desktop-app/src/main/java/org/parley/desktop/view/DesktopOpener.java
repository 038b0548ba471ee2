package org.parley.desktop.view;

import java.awt.Desktop;
import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.parley.desktop.vm.Opener;

/**
 * Opens a file with the desktop's default application: {@code xdg-open} on Linux and other Unix desktops (AWT's
 * Desktop there would load GTK into the process a second time, next to JavaFX's), AWT's Desktop on macOS and
 * Windows ({@code open} on a Mac without it). Called off the FX thread (both can block for a while).
 */
final class DesktopOpener implements Opener {

  @Override
  public void open(Path file) throws IOException {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    boolean macOrWindows = os.contains("mac") || os.contains("win");
    if (macOrWindows && !GraphicsEnvironment.isHeadless() && Desktop.isDesktopSupported()
        && Desktop.getDesktop().isSupported(Desktop.Action.OPEN)) {
      Desktop.getDesktop().open(file.toFile());
      return;
    }
    if (os.contains("win")) {
      // Never through cmd.exe: the file name is the sender's, and cmd would read "&" and "^" in it.
      throw new IOException("This desktop has no way to open files from Java");
    }
    // The path is absolute (the private directory), so it cannot pass for an option.
    List<String> command = os.contains("mac") ? List.of("open", file.toString())
        : List.of("xdg-open", file.toString());
    try {
      new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    } catch (IOException e) {
      throw new IOException("No application to open it with (" + command.get(0) + ": " + e.getMessage() + ")", e);
    }
  }
}
