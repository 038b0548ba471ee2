package org.parley.client.api.calls;

import org.parley.client.api.ParleyException;

/**
 * A call cannot be set up for a reason the user or operator must fix: expired TURN credentials (a clock off by
 * hours), no ICE servers on the server, no sound device, an unreadable WAV file.
 */
public class CallException extends ParleyException {
  private static final long serialVersionUID = 1L;

  public CallException(String message) {
    super(message);
  }

  public CallException(String message, Throwable cause) {
    super(message, cause);
  }
}
