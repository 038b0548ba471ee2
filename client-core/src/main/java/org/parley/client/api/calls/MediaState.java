package org.parley.client.api.calls;

import java.util.Optional;

/**
 * What a call carries besides audio, as negotiated.
 *
 * @param localVideo we send video
 * @param remoteVideo the peer sends video
 * @param videoProblem why our video is off although it was asked for (no camera, the peer declined video, an
 *     unreadable file), if it is
 */
public record MediaState(boolean localVideo, boolean remoteVideo, Optional<String> videoProblem) {

  public static final MediaState AUDIO_ONLY = new MediaState(false, false, Optional.empty());

  /** Either side sends video. */
  public boolean video() {
    return localVideo || remoteVideo;
  }
}
