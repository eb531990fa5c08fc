-- When the spool issued the message's delay warning (retryspool.delay-warning): NULL until then. Set once, by the one
-- statement that claims the warning, so that every message is warned about at most once across all instances.
-- A nullable column without a default: only the catalog changes, no table rewrite.
ALTER TABLE ${meta_table} ADD COLUMN delay_warned_at TIMESTAMPTZ;

-- The delay-warning claim's partial index is not created here: every enqueue and state change would maintain it
-- (about 6-11% of enqueue and drain throughput in the benchmarks) in every deployment, while delay warnings are off
-- by default. The store creates it the first time it claims delay warnings (DelayWarningSql.createIndex).
