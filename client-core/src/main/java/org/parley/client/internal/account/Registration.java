package org.parley.client.internal.account;

import com.google.protobuf.InvalidProtocolBufferException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import org.parley.client.api.AccountInfo;
import org.parley.client.api.InvalidInputException;
import org.parley.client.api.NetworkException;
import org.parley.client.api.NotRegisteredException;
import org.parley.client.api.ParleyException;
import org.parley.client.api.RegistrationLockedException;
import org.parley.client.internal.keys.PreKeys;
import org.parley.client.internal.net.ApiFailure;
import org.parley.client.internal.net.RestClient;
import org.parley.client.internal.store.AccountTable;
import org.parley.client.internal.store.IdentityTable;
import org.parley.protocol.CreateVerificationSessionRequest;
import org.parley.protocol.RegistrationLockFailure;
import org.parley.protocol.RegistrationRequest;
import org.parley.protocol.RegistrationResponse;
import org.parley.protocol.Route;
import org.parley.protocol.SetRegistrationLockRequest;
import org.parley.protocol.SubmitVerificationCodeRequest;
import org.parley.protocol.VerificationSession;
import org.parley.protocol.WhoAmIResponse;
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

  AccountInfo verify(String code, String pin) throws ParleyException {
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
    RegistrationRequest.Builder request = RegistrationRequest.newBuilder()
        .setSessionId(row.verificationSession()).setPassword(row.password())
        .setRegistrationId(row.registrationId()).setDeviceName("parley");
    if (pin != null) {
      request.setRegistrationLock(RegistrationLockTokens.derive(pin, row.number()));
    }
    RegistrationResponse registered;
    try {
      registered = rest.call(Route.REGISTER, request.build(), RegistrationResponse.getDefaultInstance(), false);
    } catch (ApiFailure failure) {
      if (failure.status() == 423) {
        throw locked(row.number(), pin != null, failure);
      }
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

  private static RegistrationLockedException locked(String number, boolean pinGiven, ApiFailure failure) {
    Duration remaining;
    try {
      remaining = Duration.ofMillis(RegistrationLockFailure.parseFrom(failure.body()).getTimeRemaining());
    } catch (InvalidProtocolBufferException e) {
      remaining = Duration.ZERO;
    }
    long days = Math.max(1, remaining.plusHours(23).toDays());
    String message = pinGiven
        ? "Wrong PIN for " + number + "'s registration lock"
        : number + " has a registration lock: its owner set a PIN; give it to register here (verify CODE --pin PIN)";
    return new RegistrationLockedException(message + ". Without it, the lock lapses after " + days
        + " more day(s) of the account being inactive", remaining, pinGiven, failure);
  }

  /** Sets (or replaces) the account's registration lock; primary device only. */
  void setRegistrationLock(AccountTable.Row row, String pin) throws ParleyException {
    String token = RegistrationLockTokens.derive(pin, row.number());
    try {
      rest.call(Route.SET_REGISTRATION_LOCK, SetRegistrationLockRequest.newBuilder().setToken(token).build(), null,
          true);
    } catch (ApiFailure failure) {
      throw failure.toParley("Setting the registration lock");
    }
  }

  /** Removes the account's registration lock; primary device only. */
  void removeRegistrationLock() throws ParleyException {
    try {
      rest.call(Route.REMOVE_REGISTRATION_LOCK, null, null, true);
    } catch (ApiFailure failure) {
      throw failure.toParley("Removing the registration lock");
    }
  }

  /** Asks the server whether the account has a registration lock. */
  boolean registrationLockSet() throws ParleyException {
    try {
      return rest.call(Route.WHOAMI, null, WhoAmIResponse.getDefaultInstance(), true).getRegistrationLock();
    } catch (ApiFailure failure) {
      throw failure.toParley("Asking whether the registration lock is set");
    }
  }
}
