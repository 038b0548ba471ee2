package org.parley.client.api.calls;

import java.util.List;
import java.util.Optional;
import org.parley.client.api.ParleyException;

/**
 * Audio and video calls of one client. At most one call is active at a time: an incoming call while one is active is answered
 * "busy" automatically. Every method returns quickly; what happens next is reported to {@link CallListener}s.
 * The client must be {@linkplain org.parley.client.api.ParleyClient#connect() connected} to place or receive calls.
 */
public interface CallManager {

  /**
   * Calls {@code number}: fetches ICE servers, sends an offer to every device of the callee and returns the call in
   * state {@link CallState#RINGING}. When none of the callee's devices is online the call ends at once with
   * {@link CallEndReason#UNAVAILABLE} and both sides get a missed-call entry (the callee when it next connects).
   *
   * @throws org.parley.client.api.InvalidInputException malformed number, calling oneself, a call already active
   * @throws org.parley.client.api.NotFoundException no Parley account has that number
   * @throws CallException the ICE servers cannot be used (e.g. expired TURN credentials) or audio cannot start
   * @throws org.parley.client.api.NetworkException the server cannot be reached
   */
  Call placeCall(String number, CallOptions options) throws ParleyException;

  /** Answers a ringing incoming call; it moves to {@link CallState#CONNECTING}, then {@link CallState#CONNECTED}. */
  Call answer(String callId, CallOptions options) throws ParleyException;

  /** Declines a ringing incoming call (the caller sees {@link CallEndReason#DECLINED}). */
  void decline(String callId) throws ParleyException;

  /** Ends a call in any state: cancels it while ringing, hangs up when connected. Ended calls are ignored. */
  void hangup(String callId) throws ParleyException;

  /** Stops (or resumes) sending our audio; the call stays up. */
  void setMuted(String callId, boolean muted) throws ParleyException;

  /**
   * Starts sending video in a call (renegotiated with the peer; the call's {@link Call#media()} follows in a
   * {@link CallListener#stateChanged} event), or, while our video is on, switches to another source — another
   * camera, the screen and back — on the same track sender, without renegotiating. A camera or screen that cannot
   * be opened leaves the call as it is (still sending the previous source, if any) and says so in
   * {@link MediaState#videoProblem()}.
   */
  void startVideo(String callId, VideoSource source) throws ParleyException;

  /** Stops sending video (the camera goes off); the peer's video keeps coming if it sends any. */
  void stopVideo(String callId) throws ParleyException;

  /** Cameras the system offers (an empty list without one). */
  List<CameraDevice> cameras() throws CallException;

  /**
   * What a person can send: each camera (at 640×480, 30 fps), then each screen when there is a display (an empty
   * list on a headless machine without a camera).
   */
  List<VideoInput> videoInputs() throws CallException;

  /** Frames of every call's video, ours and the peer's. */
  void addVideoListener(VideoFrameListener listener);

  void removeVideoListener(VideoFrameListener listener);

  /** The call with this id, if this manager knows it (ended calls are kept until the client closes). */
  Optional<Call> call(String callId);

  /** The call that is not ended yet, if any. */
  Optional<Call> activeCall();

  /** Statistics of a connected call now (RTT, loss, jitter, bitrates, codec, selected candidate pair). */
  CallStats stats(String callId) throws ParleyException;

  /** Microphones the system offers (needs a sound system; headless machines have none). */
  List<AudioDevice> audioInputDevices() throws CallException;

  /** Speakers and headsets the system offers. */
  List<AudioDevice> audioOutputDevices() throws CallException;

  void addListener(CallListener listener);

  void removeListener(CallListener listener);
}
