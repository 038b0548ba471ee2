package org.parley.desktop.vm;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.parley.client.api.ParleyClient;
import org.parley.client.api.calls.AudioIo;
import org.parley.client.api.calls.Call;
import org.parley.client.api.calls.CallListener;
import org.parley.client.api.calls.CallOptions;
import org.parley.testing.ParleyServerExtension;
import org.parley.testing.Users;

/**
 * The other side ("Bob") in the call ViewModel tests: a plain client-core user on the test server who answers
 * incoming calls as told (or lets them ring) and keeps every call state he sees. He is registered, not connected:
 * the test adds what else it listens to first.
 */
final class CallPeer implements AutoCloseable {

  final String number = Users.newNumber();
  final ParleyClient client;
  /** Each change of Bob's calls, in order. */
  final List<Call> states = new CopyOnWriteArrayList<>();
  /** What Bob answers with; {@code null}: he lets it ring. */
  private volatile Supplier<CallOptions> answer;

  CallPeer(ParleyServerExtension parley) throws Exception {
    client = parley.register(number).client();
    client.calls().addListener(new CallListener() {
      @Override
      public void incomingCall(Call call) {
        Supplier<CallOptions> options = answer;
        if (options == null) {
          return;
        }
        try {
          client.calls().answer(call.callId(), options.get());
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      }

      @Override
      public void stateChanged(Call call) {
        states.add(call);
      }
    });
  }

  /** Silent audio and no video, as on a machine without sound devices or camera. */
  static CallOptions silentAudio() {
    return CallOptions.of(AudioIo.silent());
  }

  /** Bob answers the calls that come from now on with these options (made afresh for each call). */
  void answerWith(Supplier<CallOptions> options) {
    answer = options;
  }

  /** Bob lets the calls that come from now on ring. */
  void letRing() {
    answer = null;
  }

  @Override
  public void close() {
    client.close();
  }
}
