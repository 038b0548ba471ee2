package org.parley.desktop.ui;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.calls.Call;
import org.parley.client.api.calls.CallEndReason;
import org.parley.client.api.calls.CallListener;
import org.parley.client.api.calls.CallOptions;
import org.parley.client.api.calls.CallState;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;

/**
 * The other side of the call UI tests: a client-core user, connected, who answers every incoming call with
 * {@code answerWith} after letting it ring for {@code ring}, and records each state his calls pass through.
 */
final class CallPeer implements AutoCloseable {

  final String number;
  final ParleyClient client;
  final List<Call> states = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();

  private CallPeer(String number, ParleyClient client, Supplier<CallOptions> answerWith, Duration ring) {
    this.number = number;
    this.client = client;
    client.calls().addListener(new CallListener() {
      @Override
      public void incomingCall(Call call) {
        later.schedule(() -> {
          try {
            client.calls().answer(call.callId(), answerWith.get());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }, ring.toMillis(), TimeUnit.MILLISECONDS);
      }

      @Override
      public void stateChanged(Call call) {
        states.add(call);
      }
    });
  }

  static CallPeer register(ParleyServerExtension parley, CallOptions answerWith, Duration ring) throws Exception {
    return register(parley, () -> answerWith, ring);
  }

  /** As above, with the answer's options decided at each call (a test may change them between calls). */
  static CallPeer register(ParleyServerExtension parley, Supplier<CallOptions> answerWith, Duration ring)
      throws Exception {
    String number = Users.newNumber();
    CallPeer peer = new CallPeer(number, parley.register(number).client(), answerWith, ring);
    peer.client.connect();
    return peer;
  }

  /** Whether one of his calls ended for {@code reason}. */
  boolean ended(CallEndReason reason) {
    return states.stream().anyMatch(c -> c.state() == CallState.ENDED && c.endReason().orElseThrow() == reason);
  }

  @Override
  public void close() throws Exception {
    later.shutdownNow();
    client.close();
  }
}
