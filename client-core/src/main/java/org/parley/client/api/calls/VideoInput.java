package org.parley.client.api.calls;

import java.util.Objects;

/**
 * A video source this machine offers, for a person to pick: a camera or a screen.
 *
 * @param name what to show, e.g. the camera's name or "Screen 1 (1920×1080)"
 * @param source what to pass to {@link CallManager#startVideo}
 */
public record VideoInput(String name, VideoSource source) {
  public VideoInput {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(source, "source");
  }

  public boolean isScreen() {
    return source instanceof VideoSource.Screen;
  }
}
