package io.caravan.ledger;

/** The ledger database could not be read or written: job-fatal, since nothing could be recorded. */
public class LedgerException extends RuntimeException {

    public LedgerException(String message, Throwable cause) {
        super(message, cause);
    }
}
