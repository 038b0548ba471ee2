-- Owned by JdbcRegistrationLocks. One row per account that set a registration lock: the slow hash of the token its
-- client derived from the PIN (the PIN never reaches the server). ADR 0170, finding 9.
CREATE TABLE registration_locks (
  account_id VARCHAR(36)  PRIMARY KEY,
  token_hash VARCHAR(200) NOT NULL,
  set_at     BIGINT       NOT NULL
);
