package org.parley.client.api.calls;

/**
 * The video part of a call's statistics (zeros for a direction without video).
 *
 * @param codec the negotiated send (or, when we only receive, receive) codec, e.g. {@code video/VP8}
 * @param sentWidth width of the frames we encode now (after adaptation)
 * @param sentHeight their height
 * @param sentFps frames per second we encode
 * @param receivedWidth width of the peer's frames we decode
 * @param receivedHeight their height
 * @param receivedFps frames per second we decode
 * @param framesDecoded frames decoded so far
 * @param outboundBitrate video bits per second we send (over the last interval)
 * @param inboundBitrate video bits per second we receive
 * @param packetLoss fraction of the peer's video packets lost so far (0…1)
 * @param qualityLimitation why libwebrtc lowered our resolution or rate: {@code none}, {@code cpu},
 *     {@code bandwidth} or {@code other}
 */
public record VideoStats(String codec, int sentWidth, int sentHeight, double sentFps, int receivedWidth,
    int receivedHeight, double receivedFps, long framesDecoded, long outboundBitrate, long inboundBitrate,
    double packetLoss, String qualityLimitation) {}
