package org.parley.server.accounts;

import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.parley.protocol.AccountLookupResponse;
import org.parley.protocol.DeviceInfo;
import org.parley.protocol.DeviceList;
import org.parley.protocol.Route;
import org.parley.protocol.WhoAmIResponse;
import org.parley.server.api.ApiException;
import org.parley.server.api.ApiResponse;
import org.parley.server.api.Router;
import org.parley.server.auth.AuthenticatedDevice;
import org.parley.server.ratelimit.RateLimiter;
import org.parley.server.registration.PhoneNumbers;
import org.parley.server.storage.Account;
import org.parley.server.storage.Device;

/** Who am I, number look-up, device lists. */
public final class AccountController {

  private final AccountsService accounts;
  private final RateLimiter lookupLimiter;
  private final Predicate<String> registrationLockSet;

  public AccountController(AccountsService accounts, RateLimiter lookupLimiter, Predicate<String> registrationLockSet) {
    this.accounts = accounts;
    this.lookupLimiter = lookupLimiter;
    this.registrationLockSet = registrationLockSet;
  }

  public void register(Router router) {
    router.add(Route.WHOAMI, (request, params) -> {
      AuthenticatedDevice me = request.requireDevice();
      Account account = accounts.find(me.accountId()).orElseThrow(ApiException::unauthorized);
      return CompletableFuture.completedFuture(ApiResponse.ok(WhoAmIResponse.newBuilder()
          .setAccountId(me.accountId()).setDeviceId(me.deviceId()).setNumber(account.number())
          .setRegistrationLock(registrationLockSet.test(me.accountId())).build()));
    });
    router.add(Route.LOOK_UP_NUMBER, (request, params) -> {
      AuthenticatedDevice me = request.requireDevice();
      lookupLimiter.check(me.accountId());
      String number = PhoneNumbers.requireE164(params.get(0));
      Account account = accounts.findByNumber(number)
          .orElseThrow(() -> ApiException.notFound("unknown_number", "No Parley account has the number " + number));
      return CompletableFuture.completedFuture(
          ApiResponse.ok(AccountLookupResponse.newBuilder().setAccountId(account.accountId()).build()));
    });
    router.add(Route.LIST_DEVICES, (request, params) -> {
      // Names, creation and last-seen times of a person's devices are theirs alone (issue #17, finding 8).
      if (!request.requireDevice().accountId().equals(params.get(0))) {
        throw new ApiException(403, "not_your_account", "Only an account's own devices can list its devices");
      }
      Account account = accounts.find(params.get(0))
          .orElseThrow(() -> ApiException.notFound("unknown_account", "No account " + params.get(0)));
      DeviceList.Builder list = DeviceList.newBuilder();
      for (Device d : account.devices()) {
        list.addDevices(DeviceInfo.newBuilder().setDeviceId(d.deviceId()).setRegistrationId(d.registrationId())
            .setName(d.name()).setCreated(d.created()).setLastSeen(d.lastSeen()));
      }
      return CompletableFuture.completedFuture(ApiResponse.ok(list.build()));
    });
  }
}
