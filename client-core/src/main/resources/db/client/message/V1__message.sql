-- Every message shown in a conversation. (sender_account, sent_at) identifies a message across devices and
-- resends, so a message delivered twice is stored once; server_guid dedupes a redelivered copy.
CREATE TABLE message (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  conversation_id BIGINT NOT NULL,
  direction VARCHAR(3) NOT NULL,
  sender_account VARCHAR(64) NOT NULL,
  sender_device INT NOT NULL,
  body VARCHAR(100000) NOT NULL,
  sent_at BIGINT NOT NULL,
  server_guid VARCHAR(64),
  received_at BIGINT,
  status VARCHAR(10) NOT NULL,
  status_at BIGINT NOT NULL,
  CONSTRAINT message_sender_timestamp UNIQUE (sender_account, sent_at),
  CONSTRAINT message_server_guid UNIQUE (server_guid)
);
CREATE INDEX message_conversation ON message (conversation_id, sent_at);
