package org.parley.server.ratelimit;

import java.util.OptionalLong;

/**
 * Token buckets that several servers share (ADR 0151), so that a limit (OTP tries, verification requests) does not
 * multiply by the number of servers. {@link RateLimiter} falls back to its own buckets when this cannot answer.
 */
public interface SharedLimits {

  /**
   * Refills bucket {@code bucket} of {@code limit} to {@code nowMillis} and, if {@code spend}, takes a token from it
   * if it has one.
   *
   * @return 0 if a token was there (and, if {@code spend}, is now spent), else the milliseconds until the next one;
   *     empty when the shared store cannot answer now
   */
  OptionalLong acquire(String bucket, RateLimiter.Limit limit, long nowMillis, boolean spend);
}
