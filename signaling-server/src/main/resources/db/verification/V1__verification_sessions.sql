-- Owned by JdbcVerificationSessions. Verification sessions live in the database so that every server of a cluster
-- can finish a session another one started, and their wrong tries are counted once (ADR 0151). The code is kept as
-- sent: a 6-digit code is no secret against anyone who can read this table, and it lives for minutes.
CREATE TABLE verification_sessions (
  session_id         VARCHAR(36) PRIMARY KEY,
  number             VARCHAR(20) NOT NULL,
  code               VARCHAR(6)  NOT NULL,
  expires_at         BIGINT      NOT NULL,
  remaining_attempts INT         NOT NULL,
  verified           BOOLEAN     NOT NULL
);
CREATE INDEX verification_sessions_expiry ON verification_sessions (expires_at);

-- The per-number backoff of new sessions (VerificationBackoff): how many sessions the number started and when the
-- last one started. Rows quiet for a week are deleted.
CREATE TABLE verification_backoff (
  number     VARCHAR(20) PRIMARY KEY,
  sessions   INT         NOT NULL,
  last_start BIGINT      NOT NULL
);
CREATE INDEX verification_backoff_last_start ON verification_backoff (last_start);
