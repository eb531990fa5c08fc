-- Destination scheduling: one row per destination a message was ever enqueued for, holding its health (failures in a
-- row, suspensions, the end of the current pause, UTC) and its rate bucket (tokens, refilled_at: NULL until its first
-- claim under a rate). Enqueues create a destination's row in their own transaction (INSERT IGNORE); a message
-- without a destination costs nothing here. A claim locks the rows of the destinations it serves (FOR UPDATE SKIP
-- LOCKED) and counts their running attempts after it holds the locks, so the concurrency limits hold across every
-- instance. Rows are never deleted automatically: a destination keeps its status (and a suspension) after its last
-- message is gone, and an operator resumes it by name.
-- The binary collation pads with spaces ('a' = 'a '), so the key holds the name's length too (as the idempotency key's
-- unique index does since V7): names that differ only in trailing spaces are different destinations.
CREATE TABLE ${meta_table}_destinations (
    name            VARCHAR(255) NOT NULL,
    name_length     INT          NOT NULL,
    failures        INT          NOT NULL DEFAULT 0,
    suspensions     INT          NOT NULL DEFAULT 0,
    suspended_until DATETIME(6),
    tokens          DOUBLE,
    refilled_at     DATETIME(6),
    PRIMARY KEY (name, name_length)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

INSERT IGNORE INTO ${meta_table}_destinations (name, name_length)
    SELECT destination, CHAR_LENGTH(destination) FROM ${meta_table} WHERE destination IS NOT NULL;

-- MariaDB has no partial indexes: one index led by the destination serves the claim of messages without one
-- (destination IS NULL, claim_group = 1) and that of each destination (destination = ?, claim_group = 1), by priority
-- then due time. The index on (claim_group, priority, next_retry) stays for the bounce handlers' claim.
CREATE INDEX ${meta_table}_dest_due ON ${meta_table} (destination, claim_group, priority, next_retry);
-- a destination's running attempts (a lease recorded), counted by the claim
CREATE INDEX ${meta_table}_dest_running ON ${meta_table} (destination, lease_until);
