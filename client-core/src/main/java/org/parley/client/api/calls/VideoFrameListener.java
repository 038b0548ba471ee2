package org.parley.client.api.calls;

/**
 * Decoded video of calls, for recorders and windows. Called on libwebrtc's threads, once per frame: return
 * quickly (a slow listener delays the next frame), do not throw, and copy what outlives the call
 * ({@link I420Frame} lends its buffers).
 */
public interface VideoFrameListener {

  /** A frame the peer sent, decoded, at the size it arrived in (which follows the sender's adaptation). */
  void remoteFrame(String callId, I420Frame frame);

  /** A frame of our own video as it goes to the encoder (the local preview). */
  default void localFrame(String callId, I420Frame frame) {}
}
