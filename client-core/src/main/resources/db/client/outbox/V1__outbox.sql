-- What still has to reach the server: plaintext Content, encrypted at send time so that a session that changed
-- meanwhile is used. A row is deleted only after the server answered 200.
CREATE TABLE outbox (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  destination_account VARCHAR(64) NOT NULL,
  content VARBINARY(200000) NOT NULL,
  sent_at BIGINT NOT NULL,
  message_id BIGINT,
  ephemeral BOOLEAN NOT NULL,
  attempts INT NOT NULL DEFAULT 0,
  next_attempt_at BIGINT NOT NULL,
  last_error VARCHAR(1000),
  created_at BIGINT NOT NULL
);
