-- Owned by JdbcKeyStore. Keys are opaque bytes in libsignal-client's serialized forms.
CREATE TABLE identity_keys (
  account_id   VARCHAR(36) PRIMARY KEY,
  identity_key BYTEA       NOT NULL
);

-- kind: 'ec' (signed EC prekey) or 'pq_last_resort' (Kyber last-resort prekey); one of each per device.
CREATE TABLE signed_prekeys (
  account_id VARCHAR(36) NOT NULL,
  device_id  INTEGER     NOT NULL,
  kind       VARCHAR(16) NOT NULL,
  key_id     INTEGER     NOT NULL,
  public_key BYTEA       NOT NULL,
  signature  BYTEA       NOT NULL,
  PRIMARY KEY (account_id, device_id, kind)
);

-- kind: 'ec' (one-time EC prekey, no signature) or 'pq' (one-time Kyber prekey, signed). Each is used once.
CREATE TABLE one_time_prekeys (
  account_id VARCHAR(36) NOT NULL,
  device_id  INTEGER     NOT NULL,
  kind       VARCHAR(16) NOT NULL,
  key_id     INTEGER     NOT NULL,
  public_key BYTEA       NOT NULL,
  signature  BYTEA,
  PRIMARY KEY (account_id, device_id, kind, key_id)
);
