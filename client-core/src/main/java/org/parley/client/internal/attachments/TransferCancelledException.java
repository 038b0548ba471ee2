package org.parley.client.internal.attachments;

import org.parley.client.api.ParleyException;

/** An upload or download was stopped on request; what was transferred so far is kept for the next attempt. */
public final class TransferCancelledException extends ParleyException {
  private static final long serialVersionUID = 1L;

  public TransferCancelledException(String message) {
    super(message);
  }
}
