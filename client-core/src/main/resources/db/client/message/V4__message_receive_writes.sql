-- Issue #19, ADR 0203: what storing a received message writes.
-- A redelivered envelope is recognised by its GUID in processed_envelope (and a resent message by
-- (sender_account, sent_at)), so this second unique index on a random GUID only cost writes: every stored message
-- rewrote a leaf page somewhere in it. The column stays, for diagnostics.
ALTER TABLE message DROP CONSTRAINT message_server_guid;
-- H2 hands out identity values from a cache and persists the new upper bound in a commit of its own whenever the
-- cache runs out: with the default 32, a batch of 64 messages cost two extra chunk writes. Ids are reserved 4,096 at
-- a time instead; a killed process skips the rest of its block (ids only grow, gaps are harmless: the search index's
-- segments are ranges of ids).
ALTER TABLE message ALTER COLUMN id SET CACHE 4096;
