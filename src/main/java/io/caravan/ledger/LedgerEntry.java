package io.caravan.ledger;

import java.time.Instant;

/** One ledger row: the last known outcome for an item of a job. */
public record LedgerEntry(String job, String key, String fingerprint, LedgerStatus status, String targetKey,
                          String checksum, long bytes, int attempts, String lastError, Instant updatedAt) {

    public boolean isDoneWith(String currentFingerprint) {
        return status.isWritten() && currentFingerprint != null && currentFingerprint.equals(fingerprint);
    }
}
