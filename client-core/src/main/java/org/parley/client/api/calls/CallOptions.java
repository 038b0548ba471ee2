package org.parley.client.api.calls;

import java.util.Objects;

/**
 * How to run one call.
 *
 * @param audio where our audio comes from and where the peer's goes
 * @param relayOnly use only TURN relay candidates (ICE transport policy "relay"): hides our addresses from the peer
 *     and tests the relay path
 */
public record CallOptions(AudioIo audio, boolean relayOnly) {

  public CallOptions {
    Objects.requireNonNull(audio, "audio");
  }

  public static CallOptions of(AudioIo audio) {
    return new CallOptions(audio, false);
  }

  public CallOptions withRelayOnly(boolean relayOnly) {
    return new CallOptions(audio, relayOnly);
  }
}
