-- RetrySpool tables for SQLite 3.35+. Times are INTEGER epoch milliseconds, headers TEXT JSON.
-- ${meta_table} and ${data_table} are the configured table names.

CREATE TABLE ${meta_table} (
    id              TEXT    NOT NULL PRIMARY KEY,
    state           INTEGER NOT NULL CHECK (state BETWEEN 0 AND 5),
    attempts        INTEGER NOT NULL,
    max_attempts    INTEGER NOT NULL,
    next_retry      INTEGER NOT NULL,
    created         INTEGER NOT NULL,
    updated         INTEGER NOT NULL,
    last_error      TEXT,
    size            INTEGER NOT NULL,
    priority        INTEGER NOT NULL CHECK (priority BETWEEN 0 AND 100),
    headers         TEXT    NOT NULL,
    retry_policy    TEXT,
    lease_owner     TEXT,
    lease_until     INTEGER,
    claim_token     TEXT,
    claimed_from    INTEGER,
    idempotency_key TEXT
);

CREATE INDEX ${meta_table}_deliverable ON ${meta_table} (priority DESC, next_retry) WHERE state IN (0, 2);
CREATE INDEX ${meta_table}_bounce ON ${meta_table} (priority DESC, next_retry) WHERE state = 4;
CREATE INDEX ${meta_table}_lease ON ${meta_table} (lease_until) WHERE state = 1;
CREATE INDEX ${meta_table}_state_created ON ${meta_table} (state, created, id);
CREATE UNIQUE INDEX ${meta_table}_idempotency ON ${meta_table} (idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE ${data_table} (
    message_id TEXT    NOT NULL,
    chunk_no   INTEGER NOT NULL,
    data       BLOB    NOT NULL,
    created    INTEGER NOT NULL,
    PRIMARY KEY (message_id, chunk_no)
);

CREATE INDEX ${data_table}_created ON ${data_table} (created);
