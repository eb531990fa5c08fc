-- When a message's maximum lifetime started counting (UTC): NULL means its creation; an operator's release or requeue
-- sets it, giving the message a fresh budget while created keeps the original time.
ALTER TABLE ${meta_table} ADD COLUMN lifetime_start DATETIME(6);

-- the retention sweep: ARCHIVED messages by their last update
CREATE INDEX ${meta_table}_archived ON ${meta_table} (state, updated);
