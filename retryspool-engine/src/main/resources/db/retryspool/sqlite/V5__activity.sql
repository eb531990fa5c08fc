-- What each instance did per minute (enqueues and delivery outcomes), for the operator console's activity chart.
-- minute is INTEGER epoch milliseconds, as every time here.
CREATE TABLE ${meta_table}_activity (
    minute      INTEGER NOT NULL,
    instance_id TEXT    NOT NULL,
    enqueued    INTEGER NOT NULL,
    delivered   INTEGER NOT NULL,
    deferred    INTEGER NOT NULL,
    bounced     INTEGER NOT NULL,
    PRIMARY KEY (minute, instance_id)
);
