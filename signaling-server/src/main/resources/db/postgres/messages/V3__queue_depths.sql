-- PostgreSQL only (ADR 0150). What waits per device, kept by every server's queue writer in the same transaction as
-- the messages it inserts and deletes, so the queue limits see what all servers stored, not one server's share.
CREATE TABLE queue_depths (
  account_id VARCHAR(36) NOT NULL,
  device_id  INTEGER     NOT NULL,
  messages   BIGINT      NOT NULL,
  bytes      BIGINT      NOT NULL,
  PRIMARY KEY (account_id, device_id)
);

INSERT INTO queue_depths (account_id, device_id, messages, bytes)
  SELECT account_id, device_id, COUNT(*), SUM(OCTET_LENGTH(envelope)) FROM messages GROUP BY account_id, device_id;
