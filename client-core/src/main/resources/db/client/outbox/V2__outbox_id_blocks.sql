-- Issue #19, ADR 0203: H2 persists an identity column's new upper bound in a commit of its own whenever its cache
-- (default 32) runs out, which cost an extra chunk write every 32 queued rows (receipts, messages). Reserved 4,096
-- at a time instead; a killed process skips the rest of its block.
ALTER TABLE outbox ALTER COLUMN id SET CACHE 4096;
