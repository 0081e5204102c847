-- A ledger row belongs to a job's scope: the source and the target it was migrated between. Pointing a job at
-- another target starts a fresh scope, so "already migrated" is only ever said of the target that has the item.
CREATE TABLE caravan_scope (
    scope_id    VARCHAR(64)   NOT NULL PRIMARY KEY,
    job         VARCHAR(200)  NOT NULL,
    source      VARCHAR(2000) NOT NULL,
    target      VARCHAR(2000) NOT NULL,
    created_at  TIMESTAMP     NOT NULL
);

-- Rows written before scopes existed keep the scope '' until the job next opens: it then gives them the scope of its
-- settings at that moment (Ledger.open), as no migration can know a job's settings.
CREATE TABLE caravan_item_scoped (
    job         VARCHAR(200)  NOT NULL,
    scope_id    VARCHAR(64)   NOT NULL,
    item_key    VARCHAR(2000) NOT NULL,
    fingerprint VARCHAR(500),
    status      VARCHAR(16)   NOT NULL,
    target_key  VARCHAR(2000),
    checksum    VARCHAR(200),
    bytes       BIGINT,
    attempts    INT           NOT NULL,
    last_error  VARCHAR(2000),
    updated_at  TIMESTAMP     NOT NULL,
    PRIMARY KEY (job, scope_id, item_key)
);

INSERT INTO caravan_item_scoped (job, scope_id, item_key, fingerprint, status, target_key, checksum, bytes, attempts,
                                 last_error, updated_at)
SELECT job, '', item_key, fingerprint, status, target_key, checksum, bytes, attempts, last_error, updated_at
FROM caravan_item;

DROP TABLE caravan_item;
ALTER TABLE caravan_item_scoped RENAME TO caravan_item;
CREATE INDEX caravan_item_target ON caravan_item (job, scope_id, target_key);

ALTER TABLE caravan_run ADD COLUMN scope_id VARCHAR(64) DEFAULT '' NOT NULL;
CREATE INDEX caravan_run_scope ON caravan_run (job, scope_id, started_at);
