package org.parley.client.internal.account;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
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
import org.parley.protocol.Route;
import org.parley.protocol.SubmitVerificationCodeRequest;
import org.parley.protocol.VerificationSession;
import org.signal.libsignal.protocol.IdentityKeyPair;

/** Number → code → registered device 1 with its prekeys uploaded. */
public final class Registration {

  private final AccountTable account;
  private final IdentityTable identities;
  private final PreKeys preKeys;
  private final RestClient rest;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();

  public Registration(AccountTable account, IdentityTable identities, PreKeys preKeys, RestClient rest, Clock clock) {
    this.account = account;
    this.identities = identities;
    this.preKeys = preKeys;
    this.rest = rest;
    this.clock = clock;
  }

  void requestCode(String number) throws ParleyException {
    PhoneNumbers.check(number);
    var existing = account.get();
    if (existing.isPresent() && existing.get().registered()) {
      throw new InvalidInputException("This data directory is already registered as " + existing.get().number()
          + "; use another data directory for another registration");
    }
    VerificationSession session;
    try {
      session = rest.call(Route.CREATE_VERIFICATION_SESSION,
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

  AccountInfo verify(String code) throws ParleyException {
    AccountTable.Row row = account.get().orElseThrow(() ->
        new NotRegisteredException("No registration in progress: run 'register +NUMBER' first"));
    if (row.registered()) {
      throw new InvalidInputException("Already registered as " + row.number());
    }
    if (code == null || !code.trim().matches("[0-9]{4,10}")) {
      throw new InvalidInputException("'" + code + "' is not a verification code (digits)");
    }
    try {
      rest.call(Route.SUBMIT_VERIFICATION_CODE, SubmitVerificationCodeRequest.newBuilder().setCode(code.trim())
          .build(), VerificationSession.getDefaultInstance(), false, row.verificationSession());
    } catch (ApiFailure failure) {
      if (failure.status() == 404 || failure.status() == 410) {
        throw new InvalidInputException("The verification session has expired or is unknown (" + failure.getMessage()
            + "); run 'register " + row.number() + "' again", failure);
      }
      throw failure.toParley("Verifying the code");
    }
    RegistrationResponse registered;
    try {
      registered = rest.call(Route.REGISTER, RegistrationRequest.newBuilder()
          .setSessionId(row.verificationSession()).setPassword(row.password())
          .setRegistrationId(row.registrationId()).setDeviceName("parley").build(),
          RegistrationResponse.getDefaultInstance(), false);
    } catch (ApiFailure failure) {
      throw failure.toParley("Registering " + row.number());
    }
    account.setRegistered(registered.getAccountId(), registered.getDeviceId());
    try {
      preKeys.uploadInitial();
    } catch (ApiFailure failure) {
      throw failure.toParley("Uploading prekeys");
    } catch (NetworkException e) {
      throw new NetworkException("Registered, but uploading prekeys failed; they are uploaded on the next "
          + "connection: " + e.getMessage(), e);
    }
    return new AccountInfo(row.number(), registered.getAccountId(), registered.getDeviceId(), row.serverUrl());
  }
}
