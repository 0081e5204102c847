package io.caravan.ledger;

/**
 * What to run once a ledger row is committed, with a thread waiting for it (a broker worker, which acknowledges the
 * item's message only then). The ledger commits such a row without gathering others for its interval: the rows
 * that queue up while one commit runs go together in the next.
 */
public interface AwaitedCommit extends Runnable {
}
