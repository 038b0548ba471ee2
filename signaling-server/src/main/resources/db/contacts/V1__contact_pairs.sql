-- Owned by JdbcContactPairs. One row per ordered pair of accounts where the first has sent the second a message:
-- an account's presence is visible only to those it has sent a message to (ADR 0170).
CREATE TABLE contact_pairs (
  from_account VARCHAR(36) NOT NULL,
  to_account   VARCHAR(36) NOT NULL,
  PRIMARY KEY (from_account, to_account)
);
