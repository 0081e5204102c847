package io.caravan.plan;

/** What the plan decided for an item, by comparing its fingerprint with the ledger. */
public enum Decision {
    /** Not in the ledger, or failed or rejected before: copy it. */
    NEW,
    /** Done before with another fingerprint: copy it again. */
    CHANGED,
    /** Done before with the same fingerprint: skip it without touching the target. */
    UNCHANGED,
    /** Cannot move (listing problem, bad key): to the rejects file. */
    REJECTED
}
