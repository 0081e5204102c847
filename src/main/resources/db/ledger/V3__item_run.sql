-- Scale-out: which run a row was last written for, and by which instance. A planning instance waits until every item
-- it published in a run has a row of that run (Ledger.outcomesOfRun); the instance shows how the workers shared it.
ALTER TABLE caravan_item ADD COLUMN run_id VARCHAR(64);
ALTER TABLE caravan_item ADD COLUMN worker VARCHAR(200);
CREATE INDEX caravan_item_run ON caravan_item (job, scope_id, run_id);
