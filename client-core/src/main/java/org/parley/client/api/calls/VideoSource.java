package org.parley.client.api.calls;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a call's video comes from. Frames are sent as VP8, starting at the source's size and capped at
 * {@link #MAX_WIDTH}×{@link #MAX_HEIGHT} (bigger frames are scaled down); libwebrtc lowers resolution when bandwidth
 * or CPU run short.
 */
public sealed interface VideoSource {

  int MAX_WIDTH = 1280;
  int MAX_HEIGHT = 720;
  int MAX_FPS = 30;
  /** Screen capture copies the whole picture for each frame: a modest rate, as screens change little. */
  int MAX_SCREEN_FPS = 15;
  int SCREEN_FPS = 10;

  /**
   * A synthetic test picture: colour bars, a moving box, and two rows of black and white cells that carry the frame
   * counter and {@code id}, so a recording shows which side sent it and which frames arrived.
   *
   * @param id 0–255, told apart by the receiver (e.g. one per side of a call)
   */
  record Pattern(int width, int height, int fps, int id) implements VideoSource {
    public Pattern {
      checkSize(width, height, fps);
      if (id < 0 || id > 255) {
        throw new IllegalArgumentException("Pattern id must be 0-255, not " + id);
      }
    }
  }

  /**
   * Frames of a YUV4MPEG2 file (4:2:0), at the file's frame rate (at most {@link #MAX_FPS}), from the start again
   * after its end.
   */
  record Y4mFile(Path file) implements VideoSource {
    public Y4mFile {
      Objects.requireNonNull(file, "file");
    }
  }

  /**
   * A camera through libwebrtc's capture module. Without one the call goes on with audio only, and the call's
   * {@link MediaState#videoProblem()} says why.
   *
   * @param deviceId from {@link CallManager#cameras()}; empty for the first camera
   */
  record Camera(Optional<String> deviceId, int width, int height, int fps) implements VideoSource {
    public Camera {
      Objects.requireNonNull(deviceId, "deviceId");
      checkSize(width, height, fps);
    }
  }

  /**
   * The screen, or an area of it (a window, by its bounds on the screen), captured by us ({@code java.awt.Robot})
   * at a modest rate and scaled down to fit {@link #MAX_WIDTH}×{@link #MAX_HEIGHT}. Needs a display: without one
   * (a headless machine, no {@code DISPLAY}) the call goes on as it was and {@link MediaState#videoProblem()} says
   * why.
   *
   * @param area the part of the screen to send (virtual-screen coordinates); empty for the whole primary screen
   * @param fps 1–{@link #MAX_SCREEN_FPS}
   */
  record Screen(Optional<Area> area, int fps) implements VideoSource {
    public Screen {
      Objects.requireNonNull(area, "area");
      if (fps < 1 || fps > MAX_SCREEN_FPS) {
        throw new IllegalArgumentException("Screen sharing runs at 1-" + MAX_SCREEN_FPS + " fps, not " + fps);
      }
    }
  }

  /** A rectangle of the screen, in pixels. */
  record Area(int x, int y, int width, int height) {
    public Area {
      if (width < 16 || height < 16) {
        throw new IllegalArgumentException("A shared area must be at least 16x16, not " + width + "x" + height);
      }
    }
  }

  /** The whole primary screen at {@link #SCREEN_FPS}. */
  static VideoSource screen() {
    return new Screen(Optional.empty(), SCREEN_FPS);
  }

  /** One window (or any area) of the screen, by its bounds, at {@link #SCREEN_FPS}. */
  static VideoSource window(int x, int y, int width, int height) {
    return new Screen(Optional.of(new Area(x, y, width, height)), SCREEN_FPS);
  }

  /** The test pattern at 640×480, 30 fps. */
  static VideoSource pattern(int id) {
    return new Pattern(640, 480, 30, id);
  }

  static VideoSource y4m(Path file) {
    return new Y4mFile(file);
  }

  /** The first camera at 640×480, 30 fps. */
  static VideoSource camera() {
    return new Camera(Optional.empty(), 640, 480, 30);
  }

  private static void checkSize(int width, int height, int fps) {
    if (width < 16 || height < 16 || width > MAX_WIDTH || height > MAX_HEIGHT || width % 2 != 0
        || height % 2 != 0) {
      throw new IllegalArgumentException("Video size must be even, from 16x16 to " + MAX_WIDTH + "x" + MAX_HEIGHT
          + ", not " + width + "x" + height);
    }
    if (fps < 1 || fps > MAX_FPS) {
      throw new IllegalArgumentException("Frame rate must be 1-" + MAX_FPS + ", not " + fps);
    }
  }
}
