package org.parley.client.internal.identity;

import java.util.Optional;
import org.parley.client.api.NotFoundException;
import org.parley.client.api.ParleyException;
import org.parley.client.api.SafetyNumber;
import org.parley.client.internal.account.AccountService;
import org.parley.client.internal.events.IdentityChanges;
import org.parley.client.internal.messaging.ContactDirectory;
import org.parley.client.internal.messaging.SessionCrypto;
import org.parley.client.internal.net.ApiFailure;
import org.parley.client.internal.store.AccountTable;
import org.parley.client.internal.store.IdentityTable;
import org.parley.client.internal.store.ProtocolStore;
import org.signal.libsignal.protocol.IdentityKey;

/** The safety number with a contact, fetching their identity key (by starting sessions) when we have none yet. */
public final class SafetyNumberService {

  private final AccountService accounts;
  private final ContactDirectory directory;
  private final ProtocolStore protocol;
  private final SessionCrypto crypto;
  private final IdentityChanges identityChanges;

  public SafetyNumberService(AccountService accounts, ContactDirectory directory, ProtocolStore protocol,
      SessionCrypto crypto, IdentityChanges identityChanges) {
    this.accounts = accounts;
    this.directory = directory;
    this.protocol = protocol;
    this.crypto = crypto;
    this.identityChanges = identityChanges;
  }

  public SafetyNumber safetyNumber(String number) throws ParleyException {
    AccountTable.Row row = accounts.registered();
    String accountId = directory.accountOf(number);
    Optional<IdentityTable.Entry> entry = protocol.identities.find(accountId);
    if (entry.isEmpty()) {
      try {
        crypto.startSessions(accountId, SessionCrypto.ALL_DEVICES);
      } catch (ApiFailure failure) {
        throw failure.toParley("Fetching the identity key of " + number);
      } finally {
        identityChanges.report();
      }
      entry = protocol.identities.find(accountId);
    }
    IdentityKey theirs = entry.orElseThrow(() -> new NotFoundException("No identity key known for " + number))
        .key();
    return SafetyNumbers.of(row.number(), protocol.getIdentityKeyPair().getPublicKey(), number, theirs,
        Optional.ofNullable(entry.get().changedAt()));
  }
}
