package io.caravan.pipeline;

import io.caravan.job.Job;
import io.caravan.ledger.AwaitedCommit;
import io.caravan.ledger.LedgerDatabase;
import io.caravan.ledger.LedgerException;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Waits until an item's ledger row is committed. A worker consuming a broker hand-off does, before its exchange ends
 * and the broker message is acknowledged: a worker killed before then leaves the item to be delivered again, never
 * acknowledged and unrecorded. The ledger commits such a row without waiting for others to join it, so the wait is
 * about one commit.
 */
final class Committed implements AwaitedCommit {

    private final CountDownLatch latch = new CountDownLatch(1);
    private final Runnable then;

    /** @param then what to run once committed (on the ledger's writer thread), or null */
    Committed(Runnable then) {
        this.then = then;
    }

    @Override
    public void run() {
        if (then != null) {
            then.run();
        }
        latch.countDown();
    }

    /** @throws LedgerException when the row is not committed within the ledger's outage wait and a minute more */
    void await(Job job) {
        Duration limit = job.settings().duration("caravan.ledger.outage-wait", LedgerDatabase.DEFAULT_OUTAGE_WAIT)
                .plusMinutes(1);
        try {
            if (!latch.await(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new LedgerException("the ledger did not commit an item's row within " + limit.toSeconds()
                        + " s", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerException("interrupted while waiting for the ledger", e);
        }
    }

    /** Whether this exchange came through a broker hand-off: its outcome is acknowledged only once recorded. */
    static boolean isAcknowledged(org.apache.camel.Exchange exchange) {
        return exchange.getProperty(CaravanHeaders.RUN_ID) != null;
    }
}
