-- Groups this device knows (ADR 0140). state is the GroupState protobuf as last applied.
CREATE TABLE chat_group (
  id VARCHAR(32) PRIMARY KEY,
  name VARCHAR(400) NOT NULL,
  revision BIGINT NOT NULL,
  state VARBINARY(1000000) NOT NULL,
  self_member BOOLEAN NOT NULL,
  -- Our current sender key's distribution id; NULL until the first send and after a rotation.
  distribution_id UUID,
  last_activity BIGINT NOT NULL
);
CREATE INDEX chat_group_distribution ON chat_group (distribution_id);

-- Member accounts that hold our current sender key of a group.
CREATE TABLE group_key_shared (
  group_id VARCHAR(32) NOT NULL,
  account_id VARCHAR(64) NOT NULL,
  distribution_id UUID NOT NULL,
  PRIMARY KEY (group_id, account_id)
);

-- System lines ("Alice added Bob").
CREATE TABLE group_event (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  group_id VARCHAR(32) NOT NULL,
  kind VARCHAR(20) NOT NULL,
  actor VARCHAR(32) NOT NULL,
  targets VARCHAR(40000) NOT NULL,
  new_name VARCHAR(400),
  revision BIGINT NOT NULL,
  happened_at BIGINT NOT NULL
);
CREATE INDEX group_event_group ON group_event (group_id, happened_at);

-- Group sends in order: PAIRWISE rows (state updates, sender keys) to the accounts still listed, GROUP rows (one
-- sender-key ciphertext for every member device).
CREATE TABLE group_outbox (
  id BIGINT AUTO_INCREMENT PRIMARY KEY,
  kind VARCHAR(10) NOT NULL,
  group_id VARCHAR(32) NOT NULL,
  message_id BIGINT,
  recipients VARCHAR(100000) NOT NULL,
  content VARBINARY(1000000) NOT NULL,
  sent_at BIGINT NOT NULL,
  ephemeral BOOLEAN NOT NULL,
  attempts INT DEFAULT 0 NOT NULL,
  next_attempt_at BIGINT NOT NULL,
  last_error VARCHAR(1000)
);
