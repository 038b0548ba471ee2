package org.parley.cli;

import org.parley.client.api.AuthenticationException;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.NetworkException;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.ParleyException;
import org.parley.client.api.RegistrationLockedException;

/** The process exit codes, one per kind of failure, so scripts can tell them apart. */
public final class ExitCodes {
  public static final int OK = 0;
  /** Anything else, including "not registered yet" and local database trouble. */
  public static final int ERROR = 1;
  /** Wrong command line or invalid input (a malformed number, an empty message, a wrong code). */
  public static final int USAGE = 2;
  /** The server cannot be reached, or answered with a server error; the work is kept and retried later. */
  public static final int NETWORK = 3;
  /** The server refused this device's credentials (re-registered elsewhere, removed). */
  public static final int AUTHENTICATION = 4;
  /** No such account, number or conversation. */
  public static final int NOT_FOUND = 5;
  /** A call did not connect: declined, busy, not answered, callee unreachable, ICE/DTLS failed. */
  public static final int CALL_NOT_CONNECTED = 6;
  /** {@code answer}: no call rang within the timeout. */
  public static final int NO_CALL = 7;
  /** {@code verify}: the number's account has a registration lock, and no PIN or a wrong one was given. */
  public static final int REGISTRATION_LOCKED = 8;

  private ExitCodes() {}

  public static int of(ParleyException e) {
    if (e instanceof RegistrationLockedException) {
      return REGISTRATION_LOCKED;
    }
    if (e instanceof InvalidInputException) {
      return USAGE;
    }
    if (e instanceof NetworkException) {
      return NETWORK;
    }
    if (e instanceof AuthenticationException) {
      return AUTHENTICATION;
    }
    if (e instanceof NotFoundException) {
      return NOT_FOUND;
    }
    return ERROR;
  }
}
