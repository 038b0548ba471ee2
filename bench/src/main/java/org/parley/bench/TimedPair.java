package org.parley.bench;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import java.nio.ByteBuffer;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.parley.protocol.Envelope;
import org.parley.protocol.OutgoingMessage;
import org.parley.protocol.Route;
import org.parley.protocol.SendMessageRequest;

/**
 * A sender→receiver pair of the throughput benchmarks. Each message's content starts with its send time
 * ({@link System#nanoTime()}), so the receiver's side yields the latency; what to do with each outcome is the
 * benchmark's.
 */
final class TimedPair {

  /** What a benchmark does when a message ends; called on the connections' event loops. */
  interface Outcomes {
    /** The server did not take a send (any answer but 200). */
    void refused(TimedPair pair);

    /** A message arrived; {@code sentAtNanos} is its send time. */
    void delivered(TimedPair pair, long sentAtNanos);

    /** An arrival that is not an envelope. */
    void unreadable(TimedPair pair);
  }

  final Accounts.Account sender;
  final Accounts.Account receiver;
  volatile WsConnection senderConnection;
  volatile WsConnection receiverConnection;
  /** Messages sent and neither refused nor arrived yet. */
  final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicLong ids = new AtomicLong(1);
  private final byte[] padding;
  private final String path;
  private final Outcomes outcomes;

  /** {@code size}: ciphertext bytes per message (at least the 8 of the send time). */
  TimedPair(Accounts.Account sender, Accounts.Account receiver, int size, Outcomes outcomes) {
    this.sender = sender;
    this.receiver = receiver;
    this.padding = new byte[Math.max(8, size)];
    new Random().nextBytes(padding);
    this.path = Route.SEND_MESSAGE.path(receiver.accountId());
    this.outcomes = outcomes;
  }

  void sendOne() {
    byte[] content = padding.clone();
    ByteBuffer.wrap(content).putLong(System.nanoTime());
    SendMessageRequest body = SendMessageRequest.newBuilder()
        .setTimestamp(System.currentTimeMillis())
        .addMessages(OutgoingMessage.newBuilder().setType(Envelope.Type.CIPHERTEXT).setDestinationDevice(1)
            .setDestinationRegistrationId(receiver.registrationId()).setContent(ByteString.copyFrom(content)))
        .build();
    inFlight.incrementAndGet();
    senderConnection.request(ids.getAndIncrement(), Route.SEND_MESSAGE.verb(), path, body.toByteString());
  }

  WsConnection.Listener senderListener(CountDownLatch drained) {
    return WsConnection.Listener.acking(drained, request -> { }, response -> {
      if (response.getStatus() != 200) {
        inFlight.decrementAndGet();
        outcomes.refused(this);
      }
    });
  }

  WsConnection.Listener receiverListener(CountDownLatch drained) {
    return WsConnection.Listener.acking(drained, request -> {
      long sentAt;
      try {
        sentAt = Envelope.parseFrom(request.getBody()).getContent().asReadOnlyByteBuffer().getLong();
      } catch (InvalidProtocolBufferException e) {
        outcomes.unreadable(this);
        return;
      }
      inFlight.decrementAndGet();
      outcomes.delivered(this, sentAt);
    }, response -> { });
  }

  void close() {
    senderConnection.close();
    receiverConnection.close();
  }
}
