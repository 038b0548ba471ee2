package org.parley.desktop.view;

import java.awt.AWTException;
import java.awt.Color;
import java.awt.EventQueue;
import java.awt.GraphicsEnvironment;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.awt.image.BufferedImage;
import java.util.concurrent.atomic.AtomicReference;
import javafx.application.Platform;
import javafx.stage.Stage;
import org.parley.desktop.vm.Notifier;

/**
 * Desktop notifications through the system tray where the platform has one (Windows, most Linux desktops, macOS
 * menu bar); elsewhere the unread count in the window title is the only signal. Clicking the notification or the
 * icon brings the window forward and opens the chat.
 */
final class TrayNotifier implements Notifier {

  private final Stage stage;
  private final AtomicReference<Runnable> lastOpen = new AtomicReference<>();
  private TrayIcon icon;

  private TrayNotifier(Stage stage) {
    this.stage = stage;
  }

  /** A notifier for this platform: the tray when there is one, else none. */
  static Notifier create(Stage stage) {
    if (GraphicsEnvironment.isHeadless() || Boolean.getBoolean("testfx.headless")) {
      return Notifier.NONE;
    }
    try {
      if (!SystemTray.isSupported()) {
        return Notifier.NONE;
      }
      TrayNotifier n = new TrayNotifier(stage);
      n.install();
      return n;
    } catch (AWTException | RuntimeException | LinkageError e) {
      return Notifier.NONE;
    }
  }

  private void install() throws AWTException {
    BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_ARGB);
    var g = image.createGraphics();
    g.setColor(new Color(0x1F, 0x6F, 0xEB));
    g.fillOval(0, 0, 16, 16);
    g.setColor(Color.WHITE);
    g.drawString("P", 4, 13);
    g.dispose();
    icon = new TrayIcon(image, "Parley");
    icon.setImageAutoSize(true);
    icon.addActionListener(e -> Platform.runLater(() -> {
      stage.show();
      stage.toFront();
      Runnable open = lastOpen.getAndSet(null);
      if (open != null) {
        open.run();
      }
    }));
    SystemTray.getSystemTray().add(icon);
  }

  @Override
  public void notify(String title, String body, Runnable open) {
    lastOpen.set(open);
    EventQueue.invokeLater(() -> icon.displayMessage(title, body, TrayIcon.MessageType.NONE));
  }
}
