package org.parley.client.internal.calls;

import java.util.List;
import java.util.Optional;
import org.parley.client.api.ParleyException;
import org.parley.client.api.calls.CallEntry;
import org.parley.client.internal.proto.CallMessage;
import org.parley.protocol.IceServers;

/** What the call manager needs from the rest of the client; implemented by the client, so calls stay out of it. */
public interface CallPort {

  /** Our account. */
  record Self(String number, String accountId, int deviceId) {}

  Self self() throws ParleyException;

  /** Whether the WebSocket is up (incoming call signaling arrives only then). */
  boolean connected();

  /** The account of {@code number} (looked up and remembered when new). */
  String accountOf(String number) throws ParleyException;

  /** The number of a known contact's account. */
  Optional<String> numberOf(String accountId);

  /**
   * Sends call signaling now, ephemeral and urgent, to every device of {@code accountId}; returns the devices that
   * were online and got it.
   */
  List<Integer> sendNow(String accountId, CallMessage message) throws ParleyException;

  /** Queues call signaling in the outbox, stored by the server until delivered (the "missed call" notice). */
  void sendLater(String accountId, CallMessage message);

  /** {@code GET /v1/calls/ice-servers}; empty when the server has none configured. */
  IceServers iceServers() throws ParleyException;

  /** Records a call in the conversation with {@code contactAccount} and tells the client's listeners. */
  void record(String contactAccount, String callerAccount, int callerDevice, CallEntry entry, long startedAt,
      String text);
}
