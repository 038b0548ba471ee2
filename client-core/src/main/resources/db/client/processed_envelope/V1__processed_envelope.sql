-- Server GUIDs of envelopes already processed, so a copy delivered again after a crash before the ack is only
-- acknowledged.
CREATE TABLE processed_envelope (
  server_guid VARCHAR(64) PRIMARY KEY,
  processed_at BIGINT NOT NULL
);
