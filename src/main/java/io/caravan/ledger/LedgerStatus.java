package io.caravan.ledger;

/**
 * What the ledger says of an item: moved and verified, moved to a target that could not confirm it (written,
 * unverified: migrated, never counted as verified), failed after retries, rejected as bad input, or found missing or
 * different at the target by {@code verify --repair} (pending: the next run copies it again).
 */
public enum LedgerStatus {
    DONE, UNVERIFIED, FAILED, REJECTED, PENDING;

    /** Whether the item was written to the target: a rerun leaves it alone while it is unchanged. */
    public boolean isWritten() {
        return this == DONE || this == UNVERIFIED;
    }

    public String column() {
        return name().toLowerCase();
    }

    public static LedgerStatus ofColumn(String value) {
        return valueOf(value.toUpperCase());
    }
}
