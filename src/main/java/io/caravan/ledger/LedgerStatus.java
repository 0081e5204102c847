package io.caravan.ledger;

/** What the ledger says of an item: moved and verified, failed after retries, or rejected as bad input. */
public enum LedgerStatus {
    DONE, FAILED, REJECTED;

    public String column() {
        return name().toLowerCase();
    }

    public static LedgerStatus ofColumn(String value) {
        return valueOf(value.toUpperCase());
    }
}
