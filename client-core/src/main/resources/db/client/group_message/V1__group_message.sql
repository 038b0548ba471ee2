CREATE TABLE group_message (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  group_id VARCHAR(32) NOT NULL,
  sender_number VARCHAR(32) NOT NULL,
  sender_account VARCHAR(64) NOT NULL,
  outgoing BOOLEAN NOT NULL,
  body VARCHAR(100000) NOT NULL,
  sent_at BIGINT NOT NULL,
  received_at BIGINT,
  status VARCHAR(10) NOT NULL,
  status_at BIGINT NOT NULL
);
CREATE INDEX group_message_group ON group_message (group_id, sent_at, id);
CREATE INDEX group_message_sender ON group_message (sender_account, sent_at);

-- Per member receipts of our outgoing group messages.
CREATE TABLE group_receipt (
  message_id BIGINT NOT NULL,
  number VARCHAR(32) NOT NULL,
  account_id VARCHAR(64) NOT NULL,
  delivered_at BIGINT,
  read_at BIGINT,
  PRIMARY KEY (message_id, account_id),
  FOREIGN KEY (message_id) REFERENCES group_message (id) ON DELETE CASCADE
);
