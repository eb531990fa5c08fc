-- What each instance did per minute (enqueues and delivery outcomes), for the operator console's activity chart
-- across instances. Each instance adds its counts every few seconds (one upsert per minute it has counts for) and
-- deletes the rows older than two hours; nothing reads or writes it on the enqueue or delivery path.
CREATE TABLE ${meta_table}_activity (
    minute      TIMESTAMPTZ  NOT NULL,
    instance_id VARCHAR(255) NOT NULL,
    enqueued    BIGINT       NOT NULL,
    delivered   BIGINT       NOT NULL,
    deferred    BIGINT       NOT NULL,
    bounced     BIGINT       NOT NULL,
    PRIMARY KEY (minute, instance_id)
);
