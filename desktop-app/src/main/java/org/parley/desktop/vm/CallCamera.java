package org.parley.desktop.vm;

import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.parley.client.api.calls.CallException;
import org.parley.client.api.calls.CallManager;
import org.parley.client.api.calls.VideoSource;

/**
 * Where a video call's picture comes from. {@link #problem()} may block (it asks libwebrtc for cameras), so
 * ViewModels call it on the io thread.
 */
public interface CallCamera {

  /** The environment variable choosing the source: {@code pattern}, {@code none}, else the first camera. */
  String SETTING = "PARLEY_VIDEO_SOURCE";
  /** The desktop's pattern id (the receiver tells senders apart by it; client-core's CLI tests use others). */
  int PATTERN_ID = 7;

  /** Why video calls send no picture here (e.g. "No camera found"), or empty. */
  Optional<String> problem();

  /** What to send when {@link #problem()} is empty. */
  VideoSource source();

  /** The synthetic test picture instead of a camera: tests, demos, machines without a camera. */
  static CallCamera pattern() {
    VideoSource source = VideoSource.pattern(PATTERN_ID);
    return new CallCamera() {
      @Override
      public Optional<String> problem() {
        return Optional.empty();
      }

      @Override
      public VideoSource source() {
        return source;
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
