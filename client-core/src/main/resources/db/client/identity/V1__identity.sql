-- Identity keys of the people we talk to (by account id), with when they last changed.
CREATE TABLE identity (
  account_id VARCHAR(64) PRIMARY KEY,
  identity_key VARBINARY(100) NOT NULL,
  first_seen BIGINT NOT NULL,
  changed_at BIGINT
);
