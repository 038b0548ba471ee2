package org.parley.server.registration;

import com.google.protobuf.Message;
import java.time.Clock;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.parley.protocol.CreateVerificationSessionRequest;
import org.parley.protocol.RegistrationRequest;
import org.parley.protocol.RegistrationResponse;
import org.parley.protocol.Route;
import org.parley.protocol.SetRegistrationLockRequest;
import org.parley.protocol.SubmitVerificationCodeRequest;
import org.parley.protocol.VerificationSession;
import org.parley.server.accounts.AccountsService;
import org.parley.server.api.ApiException;
import org.parley.server.api.ApiResponse;
import org.parley.server.api.BodyCodec;
import org.parley.server.api.Router;
import org.parley.server.auth.NewDeviceRules;
import org.parley.server.auth.PasswordHasher;
import org.parley.server.connections.ClientConnection;
import org.parley.server.messages.DeliveryService;
import org.parley.server.storage.Account;
import org.parley.server.storage.AccountStore;
import org.parley.server.storage.Device;
import org.parley.server.storage.KeyStore;
import org.parley.server.storage.MessageQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Verification sessions and registration. */
public final class RegistrationController {

  private static final Logger log = LoggerFactory.getLogger(RegistrationController.class);

  private final VerificationService verification;
  private final AccountsService accounts;
  private final KeyStore keys;
  private final MessageQueue queue;
  private final DeliveryService delivery;
  private final PasswordHasher hasher;
  private final Clock clock;
  private final RegistrationLockService registrationLocks;

  public RegistrationController(VerificationService verification, AccountsService accounts, KeyStore keys,
      MessageQueue queue, DeliveryService delivery, PasswordHasher hasher, RegistrationLockService registrationLocks,
      Clock clock) {
    this.registrationLocks = registrationLocks;
    this.verification = verification;
    this.accounts = accounts;
    this.keys = keys;
    this.queue = queue;
    this.delivery = delivery;
    this.hasher = hasher;
    this.clock = clock;
  }

  public void register(Router router) {
    router.add(Route.CREATE_VERIFICATION_SESSION, (request, params) -> {
      CreateVerificationSessionRequest body =
          BodyCodec.parse(request, CreateVerificationSessionRequest.getDefaultInstance());
      return done(view(verification.start(body.getNumber(), request.remoteAddress())));
    });
    router.add(Route.GET_VERIFICATION_SESSION,
        (request, params) -> done(view(verification.get(params.get(0)))));
    router.add(Route.SUBMIT_VERIFICATION_CODE, (request, params) -> {
      SubmitVerificationCodeRequest body =
          BodyCodec.parse(request, SubmitVerificationCodeRequest.getDefaultInstance());
      return done(view(verification.submitCode(params.get(0), body.getCode())));
    });
    router.add(Route.SET_REGISTRATION_LOCK, (request, params) -> {
      SetRegistrationLockRequest body = BodyCodec.parse(request, SetRegistrationLockRequest.getDefaultInstance());
      registrationLocks.set(request.requireDevice(), body.getToken());
      return CompletableFuture.completedFuture(ApiResponse.noContent());
    });
    router.add(Route.REMOVE_REGISTRATION_LOCK, (request, params) -> {
      registrationLocks.remove(request.requireDevice());
      return CompletableFuture.completedFuture(ApiResponse.noContent());
    });
    router.add(Route.REGISTER, (request, params) -> {
      RegistrationRequest body = BodyCodec.parse(request, RegistrationRequest.getDefaultInstance());
      return done(register(body));
    });
  }

  private RegistrationResponse register(RegistrationRequest body) throws ApiException {
    NewDeviceRules.check(body.getPassword(), body.getRegistrationId(), body.getDeviceName());
    String number = verification.verifiedNumber(body.getSessionId());
    Optional<Account> existing = accounts.findByNumber(number);
    // Checked before the session is used up: a client told to enter the PIN retries with the same session.
    boolean locked = existing.isPresent() && registrationLocks.check(existing.get(), body.getRegistrationLock());
    verification.consumeVerified(body.getSessionId());
    long now = clock.millis();
    Device primary = new Device(Device.PRIMARY_ID, body.getRegistrationId(), hasher.hash(body.getPassword()),
        body.getDeviceName(), now, now);
    AccountStore.Registration registration = accounts.register(number, UUID.randomUUID().toString(), primary);
    String accountId = registration.account().accountId();
    verification.registered(number);
    if (existing.isPresent() && !locked) {
      registrationLocks.lapsed(accountId);
    }
    if (registration.reregistered()) {
      // The old devices' sessions are gone: what was queued for them can never be decrypted, and they may not
      // connect again.
      delivery.closeEverywhere(accountId, 0, ClientConnection.CLOSE_CREDENTIALS_REVOKED,
          "The account was registered again");
      queue.deleteAll(accountId);
      keys.deleteAll(accountId, true);
      log.info("Re-registered {} as {}: replaced devices {}", number, accountId, registration.replacedDevices());
    } else {
      log.info("Registered {} as {}", number, accountId);
    }
    return RegistrationResponse.newBuilder()
        .setAccountId(accountId)
        .setDeviceId(Device.PRIMARY_ID)
        .setNumber(number)
        .setReregistered(registration.reregistered())
        .build();
  }

  private static VerificationSession view(VerificationService.SessionView view) {
    return VerificationSession.newBuilder()
        .setSessionId(view.sessionId())
        .setNumber(view.number())
        .setVerified(view.verified())
        .setExpiresAt(view.expiresAt())
        .setRemainingAttempts(view.remainingAttempts())
        .build();
  }

  private static CompletableFuture<ApiResponse> done(Message body) {
    return CompletableFuture.completedFuture(ApiResponse.ok(body));
  }
}
