-- RetrySpool tables for PostgreSQL 12+. ${meta_table} and ${data_table} are the configured table names.

CREATE TABLE ${meta_table} (
    id              VARCHAR(64)  NOT NULL PRIMARY KEY,
    state           SMALLINT     NOT NULL CHECK (state BETWEEN 0 AND 5),
    attempts        INTEGER      NOT NULL,
    max_attempts    INTEGER      NOT NULL,
    next_retry      TIMESTAMPTZ  NOT NULL,
    created         TIMESTAMPTZ  NOT NULL,
    updated         TIMESTAMPTZ  NOT NULL,
    last_error      TEXT,
    size            BIGINT       NOT NULL,
    priority        SMALLINT     NOT NULL CHECK (priority BETWEEN 0 AND 100),
    headers         JSON         NOT NULL,
    retry_policy    TEXT,
    lease_owner     TEXT,
    lease_until     TIMESTAMPTZ,
    claim_token     TEXT,
    claimed_from    SMALLINT,
    idempotency_key TEXT
);

-- the claim: due messages by priority, then due time (one partial index per claimable state group)
CREATE INDEX ${meta_table}_deliverable ON ${meta_table} (priority DESC, next_retry) WHERE state IN (0, 2);
CREATE INDEX ${meta_table}_bounce ON ${meta_table} (priority DESC, next_retry) WHERE state = 4;
-- lease expiry
CREATE INDEX ${meta_table}_lease ON ${meta_table} (lease_until) WHERE state = 1;
-- counts by state and listing by state (keyset on created, id)
CREATE INDEX ${meta_table}_state_created ON ${meta_table} (state, created, id);
-- idempotent enqueue
CREATE UNIQUE INDEX ${meta_table}_idempotency ON ${meta_table} (idempotency_key) WHERE idempotency_key IS NOT NULL;

CREATE TABLE ${data_table} (
    message_id VARCHAR(64) NOT NULL,
    chunk_no   INTEGER     NOT NULL,
    data       BYTEA       NOT NULL,
    created    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (message_id, chunk_no)
);

-- the orphan sweeper: bodies stored before a time
CREATE INDEX ${data_table}_created ON ${data_table} (created);
