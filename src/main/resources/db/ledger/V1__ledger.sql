-- One row per (job, item key): what Caravan knows about that item at the target.
CREATE TABLE caravan_item (
    job         VARCHAR(200)  NOT NULL,
    item_key    VARCHAR(2000) NOT NULL,
    fingerprint VARCHAR(500),
    status      VARCHAR(16)   NOT NULL,
    target_key  VARCHAR(2000),
    checksum    VARCHAR(200),
    bytes       BIGINT,
    attempts    INT           NOT NULL,
    last_error  VARCHAR(2000),
    updated_at  TIMESTAMP     NOT NULL,
    PRIMARY KEY (job, item_key)
);

CREATE INDEX caravan_item_target ON caravan_item (job, target_key);

-- One row per run: its outcome and report, for `caravan status` and the long-lived process.
CREATE TABLE caravan_run (
    run_id      VARCHAR(64)   NOT NULL PRIMARY KEY,
    job         VARCHAR(200)  NOT NULL,
    dry_run     BOOLEAN       NOT NULL,
    started_at  TIMESTAMP     NOT NULL,
    finished_at TIMESTAMP,
    exit_code   INT,
    report      TEXT
);
