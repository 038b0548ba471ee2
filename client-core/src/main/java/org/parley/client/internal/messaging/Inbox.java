package org.parley.client.internal.messaging;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
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
 * Incoming envelopes: decrypt, store, then acknowledge — in that order. Envelopes come in batches (up to
 * {@link #MAX_BATCH}, from the connection's inbox thread): the whole batch is one transaction, each envelope a savepoint in
 * it. Decryption (which advances the session), what the content's handler stores and the envelope's GUID commit
 * together, so a crash before the commit
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
   * that it is committed (for {@link Outcome#STORED}; for a dropped group message, the report of it).
   */
  public record Result(int status, Outcome outcome, AfterCommit afterCommit) {}

  /** A message whose claimed sender number belongs to another account (or to none). */
  static final class ForgedSenderException extends Exception {
    private static final long serialVersionUID = 1L;

    ForgedSenderException(String message) {
      super(message);
    }
  }

  /**
   * Told, inside the batch's transaction, about a group (sender-key) message that did not decrypt, so it can ask the
   * sender for its key and report it (ADR 0140) instead of the message vanishing.
   */
  @FunctionalInterface
  public interface UndecryptableGroupMessage {
    UndecryptableGroupMessage NONE = (envelope, cause, afterCommit) -> {};

    void undecryptable(Envelope envelope, Throwable cause, AfterCommit afterCommit);
  }

  /** The most envelopes one transaction takes: enough to share the commit's disk writes, few enough to ack soon. */
  public static final int MAX_BATCH = 64;

  private static final Logger log = LoggerFactory.getLogger(Inbox.class);

  private final Database db;
  private final SessionCrypto crypto;
  private final ContactTable contacts;
  private final ProcessedEnvelopeTable processed;
  private final ContentDispatcher dispatcher;
  private final AccountService accounts;
  private final Receipts receipts;
  private final Clock clock;
  private final UndecryptableGroupMessage undecryptableGroupMessage;

  public Inbox(Database db, SessionCrypto crypto, ContactTable contacts, ProcessedEnvelopeTable processed,
      ContentDispatcher dispatcher, AccountService accounts, Receipts receipts, Clock clock,
      UndecryptableGroupMessage undecryptableGroupMessage) {
    this.undecryptableGroupMessage = undecryptableGroupMessage;
    this.receipts = receipts;
    this.db = db;
    this.crypto = crypto;
    this.contacts = contacts;
    this.processed = processed;
    this.dispatcher = dispatcher;
    this.accounts = accounts;
    this.clock = clock;
  }

  /** One envelope in a batch of its own (tests and benchmarks that feed the inbox directly). */
  public Result process(Envelope envelope) {
    return processBatch(List.of(envelope)).get(0);
  }

  /**
   * Processes {@code envelopes} in order in one transaction, each under its own savepoint: an envelope that fails
   * rolls back only itself. Delivery receipts are merged per sender ({@link Receipts#beginBatch}) and queued before
   * the commit. Returns one result per envelope, in order; when the commit itself fails, every envelope that would
   * have been acknowledged is answered 500 instead and nothing is to be done after it.
   */
  public List<Result> processBatch(List<Envelope> envelopes) {
    String ownAccount = accounts.current().map(AccountTable.Row::accountId).orElse("");
    List<Result> results = new ArrayList<>(envelopes.size());
    try {
      db.run(c -> {
        receipts.beginBatch();
        try {
          for (Envelope envelope : envelopes) {
            results.add(processOne(envelope, ownAccount));
          }
          receipts.endBatch();
        } finally {
          receipts.abandonBatch();
        }
      });
    } catch (StoreException | IllegalStateException e) {
      log.warn("cannot commit a batch of {} envelope(s): {}", envelopes.size(), e.toString());
      List<Result> failed = new ArrayList<>(envelopes.size());
      for (int i = 0; i < envelopes.size(); i++) {
        failed.add(new Result(500, Outcome.RETRY_LATER, new AfterCommit()));
      }
      return failed;
    }
    return results;
  }

  /** One envelope, inside the batch's transaction. */
  private Result processOne(Envelope envelope, String ownAccount) {
    boolean ephemeral = envelope.getEphemeral() || envelope.getServerGuid().isEmpty();
    if (!ephemeral && processed.seen(envelope.getServerTimestamp(), envelope.getServerGuid())) {
      return new Result(200, Outcome.DUPLICATE, new AfterCommit());
    }
    AfterCommit afterCommit = new AfterCommit();
    int receiptMark = receipts.batchMark();
    try {
      db.inSavepoint(c -> {
        byte[] plaintext = crypto.decrypt(envelope);
        IncomingContent content = new IncomingContent(envelope, Contents.decode(plaintext), ownAccount);
        if (!content.fromOwnAccount()) {
          checkSender(envelope, content.content().getSenderNumber());
        }
        dispatcher.dispatch(content, afterCommit);
        if (!ephemeral) {
          processed.record(envelope.getServerTimestamp(), envelope.getServerGuid(), clock.millis());
        }
        return null;
      });
    } catch (StoreException e) {
      receipts.forgetAfter(receiptMark);
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
      AfterCommit reported = new AfterCommit();
      if (outcome == Outcome.DROPPED && envelope.getType() == Envelope.Type.SENDER_KEY) {
        undecryptableGroupMessage.undecryptable(envelope, cause, reported);
      }
      if (!ephemeral) {
        processed.record(envelope.getServerTimestamp(), envelope.getServerGuid(), clock.millis());
      }
      return new Result(200, outcome, reported);
    } catch (RuntimeException e) {
      // A bug in a handler: rolled back to the savepoint; the rest of the batch goes on, this one is tried again.
      receipts.forgetAfter(receiptMark);
      log.warn("cannot process envelope {}", envelope.getServerGuid(), e);
      return new Result(500, Outcome.RETRY_LATER, new AfterCommit());
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
