package org.parley.client.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.regex.Pattern;
import org.parley.client.api.AccountInfo;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.NetworkException;
import org.parley.client.api.NotRegisteredException;
import org.parley.client.api.ParleyException;
import org.parley.client.internal.keys.PreKeys;
import org.parley.client.internal.net.ApiFailure;
import org.parley.client.internal.net.RestClient;
import org.parley.client.internal.store.AccountTable;
import org.parley.client.internal.store.IdentityTable;
import org.parley.protocol.CreateVerificationSessionRequest;
import org.parley.protocol.RegistrationRequest;
import org.parley.protocol.RegistrationResponse;
import org.parley.protocol.SubmitVerificationCodeRequest;
import org.parley.protocol.VerificationSession;
import org.signal.libsignal.protocol.IdentityKeyPair;

/** Number → code → registered device 1 with its prekeys uploaded. */
final class Registration {

  static final Pattern E164 = Pattern.compile("\\+[1-9][0-9]{6,14}");

  private final AccountTable account;
  private final IdentityTable identities;
  private final PreKeys preKeys;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  Registration(AccountTable account, IdentityTable identities, PreKeys preKeys, Clock clock) {
    this.account = account;
    this.identities = identities;
    this.preKeys = preKeys;
    this.clock = clock;
  }

  static String checkNumber(String number) throws InvalidInputException {
    if (number == null || !E164.matcher(number).matches()) {
      throw new InvalidInputException("'" + number + "' is not a phone number in E.164 form, e.g. +15551234567");
    }
    return number;
  }

  void requestCode(RestClient rest, String number) throws ParleyException {
    checkNumber(number);
    var existing = account.get();
    if (existing.isPresent() && existing.get().registered()) {
      throw new InvalidInputException("This data directory is already registered as " + existing.get().number()
          + "; use another data directory for another registration");
    }
    VerificationSession session;
    try {
      session = rest.call("POST", "/v1/verification/session",
          CreateVerificationSessionRequest.newBuilder().setNumber(number).build(),
          VerificationSession.getDefaultInstance(), false);
    } catch (ApiFailure failure) {
      throw failure.toParley("Requesting a code for " + number);
    }
    byte[] secret = new byte[24];
    random.nextBytes(secret);
    account.replace(new AccountTable.Row(rest.base().toString(), number, 1 + random.nextInt(16380),
        IdentityKeyPair.generate().serialize(), Base64.getUrlEncoder().withoutPadding().encodeToString(secret),
        session.getSessionId(), null, null, 1, 1, 1, true, clock.millis()));
    identities.reset();
  }

  AccountInfo verify(RestClient rest, String code) throws ParleyException {
    AccountTable.Row row = account.get().orElseThrow(() ->
        new NotRegisteredException("No registration in progress: run 'register +NUMBER' first"));
    if (row.registered()) {
      throw new InvalidInputException("Already registered as " + row.number());
    }
    if (code == null || !code.trim().matches("[0-9]{4,10}")) {
      throw new InvalidInputException("'" + code + "' is not a verification code (digits)");
    }
    try {
      rest.call("PUT", "/v1/verification/session/" + RestClient.segment(row.verificationSession()) + "/code",
          SubmitVerificationCodeRequest.newBuilder().setCode(code.trim()).build(),
          VerificationSession.getDefaultInstance(), false);
    } catch (ApiFailure failure) {
      if (failure.status() == 404 || failure.status() == 410) {
        throw new InvalidInputException("The verification session has expired or is unknown (" + failure.getMessage()
            + "); run 'register " + row.number() + "' again", failure);
      }
      throw failure.toParley("Verifying the code");
    }
    RegistrationResponse registered;
    try {
      registered = rest.call("POST", "/v1/registration", RegistrationRequest.newBuilder()
          .setSessionId(row.verificationSession()).setPassword(row.password())
          .setRegistrationId(row.registrationId()).setDeviceName("parley").build(),
          RegistrationResponse.getDefaultInstance(), false);
    } catch (ApiFailure failure) {
      throw failure.toParley("Registering " + row.number());
    }
    account.setRegistered(registered.getAccountId(), registered.getDeviceId());
    try {
      preKeys.uploadInitial(rest);
    } catch (ApiFailure failure) {
      throw failure.toParley("Uploading prekeys");
    } catch (NetworkException e) {
      throw new NetworkException("Registered, but uploading prekeys failed; they are uploaded on the next "
          + "connection: " + e.getMessage(), e);
    }
    return new AccountInfo(row.number(), registered.getAccountId(), registered.getDeviceId(), row.serverUrl());
  }
}
