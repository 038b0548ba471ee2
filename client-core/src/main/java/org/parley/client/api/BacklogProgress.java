package org.parley.client.api;

/**
 * Messages that were waiting on the server arriving after a connect: {@code received} so far (stored and
 * acknowledged), and {@code done} once the server's queue is empty. The server does not say how many are waiting,
 * so front ends show the count so far ("Receiving 3,412 messages…") until {@code done}.
 */
public record BacklogProgress(int received, boolean done) {
  public BacklogProgress {
    if (received < 0) {
      throw new IllegalArgumentException("received must not be negative: " + received);
    }
  }
}
