package org.parley.client.internal.calls;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.parley.client.api.calls.CallException;

/** libwebrtc answers through callbacks on its own threads; the call thread waits for them, at most 10 s. */
final class LibWebRtc {

  private LibWebRtc() {}

  static <T> T await(CompletableFuture<T> future, String what) throws CallException {
    try {
      return future.get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new CallException("libwebrtc failed " + what + ": " + e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw new CallException("libwebrtc did not finish " + what + " within 10 s", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CallException("Interrupted while " + what, e);
    }
  }
}
