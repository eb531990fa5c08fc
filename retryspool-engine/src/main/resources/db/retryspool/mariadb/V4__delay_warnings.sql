-- When the spool issued the message's delay warning (retryspool.delay-warning), UTC: NULL until then. Set once, by
-- the statements that claim the warning, so that every message is warned about at most once across all instances.
ALTER TABLE ${meta_table} ADD COLUMN delay_warned_at DATETIME(6);

-- The creation time of a message a delay warning may still be issued for (not warned about; INCOMING, ACTIVE,
-- DEFERRED or HOLD), else NULL: MariaDB has no partial indexes, so the delay-warning claim indexes this column. The
-- index on it is not created here: every enqueue and state change would maintain it in every deployment, while delay
-- warnings are off by default. The store creates it the first time it claims delay warnings (DelayWarningSql).
ALTER TABLE ${meta_table} ADD COLUMN delay_warnable DATETIME(6)
    AS (CASE WHEN delay_warned_at IS NULL AND state IN (0, 1, 2, 3) THEN created END) STORED;
