package org.parley.client.internal.account;

import java.net.URI;
import java.util.Optional;
import org.parley.client.api.AccountInfo;
import org.parley.client.api.NotRegisteredException;
import org.parley.client.api.ParleyException;
import org.parley.client.internal.net.Credentials;
import org.parley.client.internal.store.AccountTable;

/**
 * The account of this data directory: registering it, and the "registered?" check every other service starts with.
 * The row is read from the database each time (a re-registration replaces it), never cached.
 */
public final class AccountService {

  private final AccountTable account;
  private final Registration registration;
  private final URI server;

  /** {@code server}: the server this client talks to (see {@link #serverOf}). */
  public AccountService(AccountTable account, Registration registration, URI server) {
    this.account = account;
    this.registration = registration;
    this.server = server;
  }

  /**
   * The server to talk to: the one given in the options, else the one the account registered with, else a local
   * development server. Registration and linking store the server they used, so the answer does not change.
   */
  public static URI serverOf(Optional<URI> configured, AccountTable account) {
    return configured.orElseGet(() -> account.get().map(row -> URI.create(row.serverUrl()))
        .orElse(URI.create("http://127.0.0.1:8080")));
  }

  /** The credentials of the stored account, for the REST client and the WebSocket upgrade. */
  public static Credentials credentialsOf(AccountTable account) {
    AccountTable.Row row = account.get().orElseThrow(() -> new IllegalStateException("no account"));
    return new Credentials(row.accountId(), row.deviceId(), row.password());
  }

  /** The account row, registered or not, if there is one. */
  public Optional<AccountTable.Row> current() {
    return account.get();
  }

  /** The account row of a finished registration, or a {@link NotRegisteredException} that says what to do. */
  public AccountTable.Row registered() throws NotRegisteredException {
    AccountTable.Row row = account.get().orElseThrow(() ->
        new NotRegisteredException("Not registered: run 'register +NUMBER' and 'verify CODE' first"));
    if (!row.registered()) {
      throw new NotRegisteredException("Registration of " + row.number() + " is not finished: run 'verify CODE'");
    }
    return row;
  }

  public AccountInfo account() throws NotRegisteredException {
    AccountTable.Row row = registered();
    return new AccountInfo(row.number(), row.accountId(), row.deviceId(), server.toString());
  }

  public void requestCode(String number) throws ParleyException {
    registration.requestCode(number);
  }

  public AccountInfo verify(String code, String pin) throws ParleyException {
    return registration.verify(code, pin);
  }

  public void setRegistrationLock(String pin) throws ParleyException {
    registration.setRegistrationLock(registered(), pin);
  }

  public void removeRegistrationLock() throws ParleyException {
    registered();
    registration.removeRegistrationLock();
  }

  public boolean registrationLockSet() throws ParleyException {
    registered();
    return registration.registrationLockSet();
  }

  public void setReadReceipts(boolean enabled) throws ParleyException {
    registered();
    account.setReadReceipts(enabled);
  }
}
