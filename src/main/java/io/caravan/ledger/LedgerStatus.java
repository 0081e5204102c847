package io.caravan.ledger;

/**
 * What the ledger says of an item: moved and verified, moved to a target that could not confirm it (written,
 * unverified: migrated, never counted as verified), failed after retries, or rejected as bad input.
 */
public enum LedgerStatus {
    DONE, UNVERIFIED, FAILED, REJECTED;

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
