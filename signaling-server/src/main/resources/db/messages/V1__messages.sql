-- Owned by JdbcMessageQueue. One row per stored copy per destination device; deleted on acknowledgement.
CREATE TABLE messages (
  id         BIGINT      PRIMARY KEY,
  account_id VARCHAR(36) NOT NULL,
  device_id  INTEGER     NOT NULL,
  guid       VARCHAR(36) NOT NULL,
  accepted_at BIGINT     NOT NULL,
  expires_at BIGINT      NOT NULL,
  envelope   BYTEA       NOT NULL
);

CREATE INDEX messages_by_device ON messages (account_id, device_id, id);
