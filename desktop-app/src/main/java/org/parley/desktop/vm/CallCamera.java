package org.parley.desktop.vm;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.parley.client.api.calls.CallException;
import org.parley.client.api.calls.CallManager;
import org.parley.client.api.calls.VideoInput;
import org.parley.client.api.calls.VideoSource;

/**
 * Where a video call's picture comes from: the cameras to switch between, and the screen to share. {@link #problem()}
 * and {@link #cameras()} may block (they ask libwebrtc for cameras), so ViewModels call them on the io thread.
 */
public interface CallCamera {

  /** The environment variable choosing the source: {@code pattern}, {@code none}, else the first camera. */
  String SETTING = "PARLEY_VIDEO_SOURCE";
  /** The desktop's pattern id (the receiver tells senders apart by it; client-core's CLI tests use others). */
  int PATTERN_ID = 7;
  /** The pattern's second "camera", to switch to. */
  int SECOND_PATTERN_ID = 8;

  /** Why video calls send no picture here (e.g. "No camera found"), or empty. */
  Optional<String> problem();

  /** What to send when {@link #problem()} is empty: the first camera. */
  VideoSource source();

  /** The cameras to switch between, the first being {@link #source()}; more than one shows "Switch camera". */
  default List<VideoSource> cameras() {
    return List.of(source());
  }

  /** What "Share screen" sends: the whole primary screen (client-core captures it; it needs a display). */
  default VideoSource screen() {
    return VideoSource.screen();
  }

  /**
   * The synthetic test picture instead of a camera: tests, demos, machines without a camera. Two "cameras" (ids
   * {@value #PATTERN_ID} and {@value #SECOND_PATTERN_ID}), so switching can be seen; the real screen to share.
   */
  static CallCamera pattern() {
    return pattern(VideoSource.screen());
  }

  /** The test picture, sharing {@code screen} (tests give a pattern there: their machines have no display). */
  static CallCamera pattern(VideoSource screen) {
    VideoSource source = VideoSource.pattern(PATTERN_ID);
    List<VideoSource> both = List.of(source, VideoSource.pattern(SECOND_PATTERN_ID));
    return new CallCamera() {
      @Override
      public Optional<String> problem() {
        return Optional.empty();
      }

      @Override
      public VideoSource source() {
        return source;
      }

      @Override
      public List<VideoSource> cameras() {
        return both;
      }

      @Override
      public VideoSource screen() {
        return screen;
      }
    };
  }

  /** No video at all, for {@code why}. */
  static CallCamera none(String why) {
    return new CallCamera() {
      @Override
      public Optional<String> problem() {
        return Optional.of(why);
      }

      @Override
      public VideoSource source() {
        throw new IllegalStateException(why);
      }

      @Override
      public List<VideoSource> cameras() {
        return List.of();
      }
    };
  }

  /** The first camera libwebrtc finds; "No camera found" without one. */
  static CallCamera system(Supplier<CallManager> calls) {
    return new CallCamera() {
      @Override
      public Optional<String> problem() {
        try {
          return calls.get().cameras().isEmpty() ? Optional.of("No camera found") : Optional.empty();
        } catch (CallException e) {
          return Optional.of("No camera found (" + e.getMessage() + ")");
        }
      }

      @Override
      public VideoSource source() {
        return VideoSource.camera();
      }

      @Override
      public List<VideoSource> cameras() {
        try {
          List<VideoSource> found = calls.get().videoInputs().stream().filter(i -> !i.isScreen())
              .map(VideoInput::source).toList();
          return found.isEmpty() ? List.of(source()) : found;
        } catch (CallException e) {
          return List.of(source());
        }
      }
    };
  }

  /** {@value #SETTING}: {@code pattern} (the test picture), {@code none} (no video), unset: the first camera. */
  static CallCamera fromEnvironment(Map<String, String> env, Supplier<CallManager> calls) {
    String setting = env.getOrDefault(SETTING, "").strip();
    return switch (setting) {
      case "pattern" -> pattern();
      case "none" -> none("video is turned off (" + SETTING + "=none)");
      case "", "camera" -> system(calls);
      default -> throw new IllegalArgumentException(SETTING + " must be pattern, none or camera, not " + setting);
    };
  }
}
