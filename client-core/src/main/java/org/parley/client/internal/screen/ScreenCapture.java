package org.parley.client.internal.screen;

import java.awt.AWTError;
import java.awt.AWTException;
import java.awt.GraphicsDevice;
import java.awt.GraphicsEnvironment;
import java.awt.HeadlessException;
import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.awt.image.SinglePixelPackedSampleModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The screen as pixels, through {@link Robot#createScreenCapture} (X11's XGetImage on Linux, which works under
 * Xvfb; libwebrtc's own desktop capturer in webrtc-java 0.14 crashes the JVM there, ADR 0702). The only class of
 * client-core that touches {@code java.awt} beyond images: it needs a display, and says so when there is none.
 * One instance captures one area; {@link #grab} is called from one thread.
 */
public final class ScreenCapture {

  /** A screen of this display, in virtual-screen coordinates. */
  public record Screen(int index, int x, int y, int width, int height) {}

  /** One captured picture: {@code 0xRRGGBB} pixels, row {@code r} starting at {@code offset + r * stride}. */
  public record Pixels(int[] rgb, int offset, int stride, int width, int height) {}

  /** Why there is nothing to capture, as a person reads it. */
  public static final class NoScreenException extends Exception {
    public NoScreenException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  public static final String NO_DISPLAY = "No screen to share: there is no display";

  private final Robot robot;
  private final Rectangle area;
  private int[] reused = new int[0];

  private ScreenCapture(Robot robot, Rectangle area) {
    this.robot = robot;
    this.area = area;
  }

  /** The display's screens; empty without a display. */
  public static List<Screen> screens() {
    List<Screen> result = new ArrayList<>();
    try {
      if (GraphicsEnvironment.isHeadless()) {
        return result;
      }
      GraphicsDevice[] devices = GraphicsEnvironment.getLocalGraphicsEnvironment().getScreenDevices();
      for (int i = 0; i < devices.length; i++) {
        Rectangle b = devices[i].getDefaultConfiguration().getBounds();
        result.add(new Screen(i + 1, b.x, b.y, b.width, b.height));
      }
    } catch (AWTError | HeadlessException e) {
      // DISPLAY set but no X server answering: no screens, as without a display
    }
    return result;
  }

  /**
   * Captures {@code x, y, width, height} or, when {@code area} is empty, the primary screen. An area that is not
   * wholly on a screen is refused (what lies outside would be black).
   */
  public static ScreenCapture open(Optional<int[]> area) throws NoScreenException {
    try {
      if (GraphicsEnvironment.isHeadless()) {
        throw new NoScreenException(NO_DISPLAY, null);
      }
      GraphicsEnvironment env = GraphicsEnvironment.getLocalGraphicsEnvironment();
      Rectangle primary = env.getDefaultScreenDevice().getDefaultConfiguration().getBounds();
      Rectangle wanted = area.map(a -> new Rectangle(a[0], a[1], a[2], a[3])).orElse(primary);
      Rectangle all = new Rectangle();
      for (GraphicsDevice d : env.getScreenDevices()) {
        all = all.union(d.getDefaultConfiguration().getBounds());
      }
      if (!all.contains(wanted)) {
        throw new NoScreenException("The area " + wanted.width + "x" + wanted.height + " at " + wanted.x + ","
            + wanted.y + " is not on the screen (" + all.width + "x" + all.height + ")", null);
      }
      return new ScreenCapture(new Robot(), wanted);
    } catch (AWTException | AWTError | HeadlessException e) {
      throw new NoScreenException("Cannot capture the screen: " + e.getMessage(), e);
    }
  }

  public int width() {
    return area.width;
  }

  public int height() {
    return area.height;
  }

  /** The area now. The pixels are valid until the next call. */
  public Pixels grab() {
    BufferedImage image = robot.createScreenCapture(area);
    int w = image.getWidth();
    int h = image.getHeight();
    if (image.getType() == BufferedImage.TYPE_INT_RGB
        && image.getRaster().getDataBuffer() instanceof DataBufferInt data
        && image.getSampleModel() instanceof SinglePixelPackedSampleModel model
        && image.getRaster().getSampleModelTranslateX() == 0 && image.getRaster().getSampleModelTranslateY() == 0) {
      // The image's own array: no copy of ours.
      return new Pixels(data.getData(), data.getOffset(), model.getScanlineStride(), w, h);
    }
    if (reused.length < w * h) {
      reused = new int[w * h];
    }
    image.getRGB(0, 0, w, h, reused, 0, w);
    return new Pixels(reused, 0, w, w, h);
  }
}
