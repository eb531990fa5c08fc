-- Destination scheduling: one row per destination a message was ever enqueued for, holding its health (failures in a
-- row, suspensions, the end of the current pause, epoch milliseconds) and its rate bucket (tokens, refilled_at: NULL
-- until its first claim under a rate). Enqueues create a destination's row in their own transaction (INSERT OR
-- IGNORE); a message without a destination costs nothing here. Rows are never deleted automatically: a destination
-- keeps its status (and a suspension) after its last message is gone, and an operator resumes it by name.
CREATE TABLE ${meta_table}_destinations (
    name            TEXT    NOT NULL PRIMARY KEY,
    failures        INTEGER NOT NULL DEFAULT 0,
    suspensions     INTEGER NOT NULL DEFAULT 0,
    suspended_until INTEGER,
    tokens          REAL,
    refilled_at     INTEGER
);

INSERT INTO ${meta_table}_destinations (name)
    SELECT DISTINCT destination FROM ${meta_table} WHERE destination IS NOT NULL;

-- The claim of messages without a destination keeps its partial index, narrowed to them; rebuilt, not added to.
DROP INDEX ${meta_table}_deliverable;
CREATE INDEX ${meta_table}_deliverable ON ${meta_table} (priority DESC, next_retry)
    WHERE state IN (0, 2) AND destination IS NULL;
-- a destination's claimable messages by priority, then due time
CREATE INDEX ${meta_table}_dest_due ON ${meta_table} (destination, priority DESC, next_retry)
    WHERE state IN (0, 2) AND destination IS NOT NULL;
-- a destination's running attempts (a lease recorded), counted by the claim
CREATE INDEX ${meta_table}_dest_running ON ${meta_table} (destination)
    WHERE lease_until IS NOT NULL AND destination IS NOT NULL;
