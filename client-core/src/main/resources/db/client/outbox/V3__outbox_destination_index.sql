-- Issue #19: the outbox worker asks for the oldest due row of each destination ("NOT EXISTS an older row for the
-- same destination") up to a window at a time; without an index that is a scan of the outbox per row, quadratic in
-- a bot's outbox of thousands.
CREATE INDEX outbox_destination ON outbox (destination_account, id);
