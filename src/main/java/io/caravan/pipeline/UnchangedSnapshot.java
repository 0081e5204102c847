package io.caravan.pipeline;

import io.caravan.item.Item;
import io.caravan.job.Job;

import java.util.Map;
import java.util.Optional;

/**
 * What the ledger says is already at the target, read in one pass when a listing starts: each written row's
 * fingerprint, for the rows whose target key the key mapping still gives. An item whose fingerprint it holds is
 * unchanged without a lookup of its own; every other item is looked up as before. A scope of more than
 * {@code caravan.ledger.snapshot-rows} rows (default {@value #DEFAULT_ROWS}) is not held in memory: its items are all
 * looked up a batch at a time.
 */
final class UnchangedSnapshot {

    static final String ROWS_SETTING = "caravan.ledger.snapshot-rows";
    static final int DEFAULT_ROWS = 100_000;

    private final Map<String, String> fingerprints;

    private UnchangedSnapshot(Map<String, String> fingerprints) {
        this.fingerprints = fingerprints;
    }

    /** Empty when the scope holds more rows than the setting allows, or the setting is 0. */
    static Optional<UnchangedSnapshot> read(Job job) {
        int limit = rowsAllowed(job);
        if (limit <= 0) {
            return Optional.empty();
        }
        return job.ledger().writtenFingerprints(job.scope(), limit, job.keyMapper()::targetKeyOrNull)
                .map(UnchangedSnapshot::new);
    }

    /** How many ledger rows a snapshot may hold ({@value #ROWS_SETTING}); 0 or less: no snapshot. */
    static int rowsAllowed(Job job) {
        return job.settings().integer(ROWS_SETTING, DEFAULT_ROWS);
    }


    boolean isUnchanged(Item item) {
        return item.isUsable() && item.fingerprint() != null && item.fingerprint().equals(fingerprints.get(item.key()));
    }
}
