package org.parley.server.storage;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The record of every attachment: who reserved it, its size, whether its upload is complete and when it expires.
 * The bytes themselves are in an {@link AttachmentStore}.
 */
public interface AttachmentSlots {

  /**
   * @param completedAt empty while the upload is in progress
   * @param expiresAt while uploading, when the upload is abandoned; once complete, when the attachment is deleted
   */
  record Slot(String id, String accountId, long size, long createdAt, OptionalLong completedAt, long expiresAt) {
    public boolean complete() {
      return completedAt.isPresent();
    }

    public boolean expired(long now) {
      return expiresAt <= now;
    }
  }

  /**
   * What one account may hold at once, counting every slot not yet expired.
   *
   * @param maxPending uploads reserved and not complete
   * @param maxCount attachments, complete or not
   * @param maxBytes their reserved sizes added up
   */
  record Quota(int maxPending, int maxCount, long maxBytes) {}

  /** The outcome of {@link #reserve}: reserved, or the first limit it would have exceeded. */
  enum Reservation {
    RESERVED,
    TOO_MANY_PENDING,
    TOO_MANY_ATTACHMENTS,
    TOO_MANY_BYTES
  }

  /** What an account holds now (slots not expired at {@code now}). */
  record Usage(int pending, int count, long bytes) {}

  /** Completed attachments not yet expired, over all accounts. */
  record Totals(long count, long bytes) {}

  /** Adds {@code slot} unless its account would exceed {@code quota}; atomic per account. */
  Reservation reserve(Slot slot, Quota quota, long now);

  Optional<Slot> find(String id);

  /**
   * Marks a pending slot complete with its new expiry; false when there is no such slot, it is already complete, or
   * its upload expired at or before {@code completedAt}.
   */
  boolean complete(String id, long completedAt, long expiresAt);

  /** Up to {@code limit} slots whose expiry is at or before {@code now}, oldest expiry first. */
  List<Slot> expired(long now, int limit);

  /** False when there was no such slot. */
  boolean delete(String id);

  Usage usage(String accountId, long now);

  Totals completedTotals(long now);
}
