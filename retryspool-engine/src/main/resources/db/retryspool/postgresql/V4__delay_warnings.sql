-- When the spool issued the message's delay warning (retryspool.delay-warning): NULL until then. Set once, by the one
-- statement that claims the warning, so that every message is warned about at most once across all instances.
-- A nullable column without a default: only the catalog changes, no table rewrite.
ALTER TABLE ${meta_table} ADD COLUMN delay_warned_at TIMESTAMPTZ;

-- the delay-warning claim: undelivered messages not yet warned about, oldest first. Warned, bounced, archived and
-- deleted messages leave the index, so a round reads only messages that may still need a warning.
CREATE INDEX ${meta_table}_delay_warning ON ${meta_table} (created) WHERE delay_warned_at IS NULL AND state IN (0, 1, 2, 3);
