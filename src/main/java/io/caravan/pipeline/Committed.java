package io.caravan.pipeline;

import io.caravan.job.Job;
import io.caravan.ledger.AwaitedCommit;
import io.caravan.ledger.LedgerDatabase;
import io.caravan.ledger.LedgerException;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Waits until an item's ledger row is committed. A worker consuming a broker hand-off does, before the broker message
 * is acknowledged: a worker killed before then leaves the item to be delivered again, never acknowledged and
 * unrecorded. The rows of a message's items but its last gather in the ledger's group commits like any others
 * ({@link #gathered}); the last one's is committed at once, with them ({@link #awaited}), and the message's end waits
 * for them all ({@link BatchCommits}).
 */
class Committed implements Runnable {

    private final CountDownLatch latch = new CountDownLatch(1);
    private final Runnable then;

    /** @param then what to run once committed (on the ledger's writer thread), or null */
    private Committed(Runnable then) {
        this.then = then;
    }

    /** A row committed with the next group commit. */
    static Committed gathered(Runnable then) {
        return new Committed(then);
    }

    /** A row the ledger commits at once, with whatever rows are queued before it. */
    static Committed awaited(Runnable then) {
        return new Awaited(then);
    }

    private static final class Awaited extends Committed implements AwaitedCommit {
        Awaited(Runnable then) {
            super(then);
        }
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
