package org.parley.server.auth;

import org.parley.server.api.ApiException;

/**
 * What every new device must bring, whether it registers an account or links to one: a password the server can
 * hash (16–128 characters), a libsignal registration id (1–16380) and a short name.
 */
public final class NewDeviceRules {
  public static final int MIN_PASSWORD = 16;
  public static final int MAX_PASSWORD = 128;
  public static final int MAX_REGISTRATION_ID = 16380;
  public static final int MAX_NAME = 100;

  private NewDeviceRules() {}

  /** @throws ApiException 400 naming the first field that breaks a rule */
  public static void check(String password, int registrationId, String name) throws ApiException {
    if (password.length() < MIN_PASSWORD || password.length() > MAX_PASSWORD) {
      throw ApiException.badRequest("invalid_password",
          "The device password must have " + MIN_PASSWORD + " to " + MAX_PASSWORD + " characters");
    }
    if (registrationId < 1 || registrationId > MAX_REGISTRATION_ID) {
      throw ApiException.badRequest("invalid_registration_id",
          "registration_id must be between 1 and " + MAX_REGISTRATION_ID);
    }
    if (name.length() > MAX_NAME) {
      throw ApiException.badRequest("invalid_name", "Device names have at most " + MAX_NAME + " characters");
    }
  }
}
