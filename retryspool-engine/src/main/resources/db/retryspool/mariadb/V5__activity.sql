-- What each instance did per minute (enqueues and delivery outcomes), for the operator console's activity chart
-- across instances. minute is DATETIME(6) in UTC, as every time here.
CREATE TABLE ${meta_table}_activity (
    minute      DATETIME(6)  NOT NULL,
    instance_id VARCHAR(255) NOT NULL,
    enqueued    BIGINT       NOT NULL,
    delivered   BIGINT       NOT NULL,
    deferred    BIGINT       NOT NULL,
    bounced     BIGINT       NOT NULL,
    PRIMARY KEY (minute, instance_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;
