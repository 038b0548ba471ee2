-- Issue #19: keyed by the server's timestamp first, so the GUIDs of a drained backlog (delivered oldest first) are
-- appended at the end of the index instead of rewriting a random leaf page per envelope (ADR 0203). Rows from
-- before this migration keep server_timestamp 0 and are still found (ProcessedEnvelopeTable.seen).
ALTER TABLE processed_envelope ADD COLUMN server_timestamp BIGINT NOT NULL DEFAULT 0;
ALTER TABLE processed_envelope DROP PRIMARY KEY;
ALTER TABLE processed_envelope ADD CONSTRAINT processed_envelope_key PRIMARY KEY (server_timestamp, server_guid);
