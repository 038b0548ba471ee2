package org.parley.client.api.calls;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * How to run one call.
 *
 * @param audio where our audio comes from and where the peer's audio goes
 * @param relayOnly use only TURN relay candidates (ICE transport policy "relay"): hides our addresses from the peer
 *     and tests the relay path
 * @param video our video, if we send any (a video call); empty for audio only
 * @param receiveVideo whether we take the peer's video; a callee answering with neither this nor {@code video}
 *     declines video, and the call is audio only both ways
 * @param recordVideo write the peer's video to this YUV4MPEG2 file (4:2:0, at the size of its first frame, 30
 *     frames per second of call time) when frames arrive; needs {@code receiveVideo}
 */
public record CallOptions(AudioIo audio, boolean relayOnly, Optional<VideoSource> video, boolean receiveVideo,
    Optional<Path> recordVideo) {

  public CallOptions {
    Objects.requireNonNull(audio, "audio");
    Objects.requireNonNull(video, "video");
    Objects.requireNonNull(recordVideo, "recordVideo");
    if (recordVideo.isPresent() && !receiveVideo) {
      throw new IllegalArgumentException("Recording video needs receiveVideo");
    }
  }

  /** Audio only, taking the peer's video if it sends any. */
  public CallOptions(AudioIo audio, boolean relayOnly) {
    this(audio, relayOnly, Optional.empty(), true, Optional.empty());
  }

  public static CallOptions of(AudioIo audio) {
    return new CallOptions(audio, false);
  }

  public CallOptions withRelayOnly(boolean relayOnly) {
    return new CallOptions(audio, relayOnly, video, receiveVideo, recordVideo);
  }

  /** A video call sending {@code source} (and taking the peer's video). */
  public CallOptions withVideo(VideoSource source) {
    return new CallOptions(audio, relayOnly, Optional.of(source), true, recordVideo);
  }

  /** Sends no video and takes none: audio only both ways (a callee declining video). */
  public CallOptions withoutVideo() {
    return new CallOptions(audio, relayOnly, Optional.empty(), false, Optional.empty());
  }

  public CallOptions withVideoRecording(Path file) {
    return new CallOptions(audio, relayOnly, video, true, Optional.of(file));
  }
}
