-- Pictures and files sent or received with a message (docs/decisions/0121-attachments-client.md). The plaintext is
-- in DATA_DIR/attachments/<file_id>, encrypted at rest; an outgoing one also has its transport ciphertext in
-- attachments/.upload/<file_id> until its message is sent, so an interrupted upload resumes with the same bytes.
CREATE TABLE attachment (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  message_id BIGINT NOT NULL,
  position INT NOT NULL,
  direction VARCHAR(3) NOT NULL,
  file_id VARCHAR(64) NOT NULL,
  server_id VARCHAR(64),
  transfer_key VARBINARY(64),
  digest VARBINARY(32),
  size BIGINT NOT NULL,
  ciphertext_size BIGINT NOT NULL,
  content_type VARCHAR(255) NOT NULL,
  file_name VARCHAR(1024) NOT NULL,
  width INT,
  height INT,
  duration_ms BIGINT,
  thumbnail VARBINARY(16384),
  caption VARCHAR(4096),
  state VARCHAR(16) NOT NULL,
  transferred BIGINT NOT NULL DEFAULT 0,
  error VARCHAR(1000),
  failure VARCHAR(16),
  created_at BIGINT NOT NULL,
  CONSTRAINT attachment_file UNIQUE (file_id)
);
CREATE INDEX attachment_message ON attachment (message_id, position);
CREATE INDEX attachment_state ON attachment (state);
