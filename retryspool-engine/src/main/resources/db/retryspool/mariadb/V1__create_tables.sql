-- RetrySpool tables for MariaDB 10.6+ and MySQL 8.0.1+. ${meta_table} and ${data_table} are the configured table names.
-- Times are DATETIME(6) in UTC (microseconds, independent of the session's time zone); headers are JSON text.
-- The binary collation makes ids and idempotency keys compare exactly, as on the other databases.

CREATE TABLE ${meta_table} (
    id              VARCHAR(64)  NOT NULL PRIMARY KEY,
    state           SMALLINT     NOT NULL CHECK (state BETWEEN 0 AND 5),
    attempts        INTEGER      NOT NULL,
    max_attempts    INTEGER      NOT NULL,
    next_retry      DATETIME(6)  NOT NULL,
    created         DATETIME(6)  NOT NULL,
    updated         DATETIME(6)  NOT NULL,
    last_error      MEDIUMTEXT,
    size            BIGINT       NOT NULL,
    priority        SMALLINT     NOT NULL CHECK (priority BETWEEN 0 AND 100),
    headers         JSON         NOT NULL,
    retry_policy    VARCHAR(255),
    lease_owner     VARCHAR(255),
    lease_until     DATETIME(6),
    claim_token     VARCHAR(255),
    claimed_from    SMALLINT,
    idempotency_key VARCHAR(255),
    -- the claimable state group a row is in (1: INCOMING or DEFERRED, 2: BOUNCE), else NULL: MariaDB has no partial
    -- indexes, so the claim indexes this column instead of a predicate on the state
    claim_group     SMALLINT AS (CASE WHEN state IN (0, 2) THEN 1 WHEN state = 4 THEN 2 END) STORED
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- the claim: per group and priority, the due messages in due-time order
CREATE INDEX ${meta_table}_claimable ON ${meta_table} (claim_group, priority, next_retry);
-- lease expiry
CREATE INDEX ${meta_table}_lease ON ${meta_table} (state, lease_until);
-- counts by state and listing by state (keyset on created, id)
CREATE INDEX ${meta_table}_state_created ON ${meta_table} (state, created, id);
-- idempotent enqueue (a unique index admits any number of NULLs)
CREATE UNIQUE INDEX ${meta_table}_idempotency ON ${meta_table} (idempotency_key);

CREATE TABLE ${data_table} (
    message_id VARCHAR(64) NOT NULL,
    chunk_no   INTEGER     NOT NULL,
    data       LONGBLOB    NOT NULL,
    created    DATETIME(6) NOT NULL,
    PRIMARY KEY (message_id, chunk_no)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

-- the orphan sweeper: bodies stored before a time
CREATE INDEX ${data_table}_created ON ${data_table} (created);
