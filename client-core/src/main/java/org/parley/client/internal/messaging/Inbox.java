package org.parley.client.internal.messaging;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import org.parley.client.api.NetworkException;
import org.parley.client.internal.account.AccountService;
import org.parley.client.internal.db.Database;
import org.parley.client.internal.db.StoreException;
import org.parley.client.internal.store.AccountTable;
import org.parley.client.internal.store.ContactTable;
import org.parley.client.internal.store.ProcessedEnvelopeTable;
import org.parley.protocol.Envelope;
import org.signal.libsignal.protocol.DuplicateMessageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Incoming envelopes: decrypt, store, then acknowledge — in that order. Decryption (which advances the session),
 * what the content's handler stores and the envelope's GUID commit in one transaction, so a crash before the commit
 * leaves nothing behind (the server delivers again) and a crash after it but before the ack makes the redelivered
 * copy a known GUID that is only acknowledged. What a content means is its handler's business
 * ({@link ContentDispatcher}); the inbox checks who sent it.
 */
public final class Inbox {

  /** How a delivery ended. */
  public enum Outcome {
    /** Decrypted and handed to its handler (or reported as unhandled); committed. */
    STORED,
    /** Seen before (a known GUID, or a ciphertext the session already consumed): only acknowledged. */
    DUPLICATE,
    /** Can never be read (undecryptable, unparsable, a forged sender number): acknowledged so it cannot block the queue. */
    DROPPED,
    /** A local failure (disk, database): not acknowledged, so the server delivers it again later. */
    RETRY_LATER
  }

  /**
   * The answer for the server (200 acknowledges, 500 asks to deliver again later), how it ended, and what to do now
   * that it is committed (empty unless {@link Outcome#STORED}).
   */
  public record Result(int status, Outcome outcome, AfterCommit afterCommit) {}

  /** A message whose claimed sender number belongs to another account (or to none). */
  static final class ForgedSenderException extends Exception {
    private static final long serialVersionUID = 1L;

    ForgedSenderException(String message) {
      super(message);
    }
  }

  private static final Logger log = LoggerFactory.getLogger(Inbox.class);

  private final Database db;
  private final SessionCrypto crypto;
  private final ContactTable contacts;
  private final ProcessedEnvelopeTable processed;
  private final ContentDispatcher dispatcher;
  private final AccountService accounts;
  private final Clock clock;

  public Inbox(Database db, SessionCrypto crypto, ContactTable contacts, ProcessedEnvelopeTable processed,
      ContentDispatcher dispatcher, AccountService accounts, Clock clock) {
    this.db = db;
    this.crypto = crypto;
    this.contacts = contacts;
    this.processed = processed;
    this.dispatcher = dispatcher;
    this.accounts = accounts;
    this.clock = clock;
  }

  public Result process(Envelope envelope) {
    boolean ephemeral = envelope.getEphemeral() || envelope.getServerGuid().isEmpty();
    if (!ephemeral && processed.seen(envelope.getServerGuid())) {
      return new Result(200, Outcome.DUPLICATE, new AfterCommit());
    }
    String ownAccount = accounts.current().map(AccountTable.Row::accountId).orElse("");
    AfterCommit afterCommit = new AfterCommit();
    try {
      db.run(c -> {
        byte[] plaintext = crypto.decrypt(envelope);
        IncomingContent content = new IncomingContent(envelope, Contents.decode(plaintext), ownAccount);
        if (!content.fromOwnAccount()) {
          checkSender(envelope, content.content().getSenderNumber());
        }
        dispatcher.dispatch(content, afterCommit);
        if (!ephemeral) {
          processed.record(envelope.getServerGuid(), clock.millis());
        }
      });
    } catch (StoreException e) {
      Throwable cause = e.getCause();
      Outcome outcome;
      if (cause instanceof DuplicateMessageException) {
        log.debug("duplicate ciphertext {} from {}", envelope.getServerGuid(), envelope.getSourceAccount());
        outcome = Outcome.DUPLICATE;
      } else if (isLocalFailure(cause)) {
        log.warn("cannot store envelope {}: {}", envelope.getServerGuid(), cause.toString());
        return new Result(500, Outcome.RETRY_LATER, new AfterCommit());
      } else {
        // Cannot be decrypted or parsed now or ever: acknowledging it is the only way to stop a poison loop.
        log.warn("dropping envelope {} from {}.{}: {}", envelope.getServerGuid(),
            envelope.getSourceAccount(), envelope.getSourceDevice(), cause.toString());
        outcome = Outcome.DROPPED;
      }
      if (!ephemeral) {
        processed.record(envelope.getServerGuid(), clock.millis());
      }
      return new Result(200, outcome, new AfterCommit());
    }
    return new Result(200, Outcome.STORED, afterCommit);
  }

  private static boolean isLocalFailure(Throwable cause) {
    return cause instanceof SQLException || cause instanceof IOException || cause instanceof NetworkException;
  }

  /**
   * The server vouches for the sender's account and, in {@code source_number}, for that account's number; the
   * number inside the encrypted content is only the sender's claim. A message is accepted when the two agree, and
   * the contact's number follows the server's word (a number that moved to another account moves with it).
   */
  private void checkSender(Envelope envelope, String claimed) throws ForgedSenderException {
    String source = envelope.getSourceAccount();
    String vouched = envelope.getSourceNumber();
    if (vouched.isEmpty()) {
      throw new ForgedSenderException("the envelope from account " + source + " carries no source number");
    }
    if (!vouched.equals(claimed)) {
      throw new ForgedSenderException("account " + source + " claims the number '" + claimed
          + "', but the server says its number is " + vouched);
    }
    boolean known = contacts.byAccount(source).map(c -> c.number().equals(vouched)).orElse(false);
    if (!known) {
      contacts.put(source, vouched, clock.millis());
    }
  }
}
