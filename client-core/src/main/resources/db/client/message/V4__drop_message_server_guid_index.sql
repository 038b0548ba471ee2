-- Issue #19: a redelivered envelope is recognised by its GUID in processed_envelope (and a resent message by
-- (sender_account, sent_at)), so this second unique index on a random GUID only cost writes: every stored message
-- rewrote a leaf page somewhere in it (ADR 0203). The column stays, for diagnostics.
ALTER TABLE message DROP CONSTRAINT message_server_guid;
