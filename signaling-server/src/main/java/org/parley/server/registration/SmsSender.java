package org.parley.server.registration;

/** Delivers a verification code to a phone number. */
public interface SmsSender {

  void send(String number, String code) throws SmsException;

  /** The code could not be sent; the client gets 502 and may ask again. */
  final class SmsException extends Exception {
    private static final long serialVersionUID = 1L;

    public SmsException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
