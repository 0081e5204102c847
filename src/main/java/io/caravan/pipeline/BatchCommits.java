package io.caravan.pipeline;

import io.caravan.job.Job;
import org.apache.camel.Exchange;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The ledger rows of one broker message's items, which the message's end waits for before it is acknowledged
 * ({@link WorkIntake}). Its items' exchanges share it (a split's parts see their message's properties).
 */
final class BatchCommits {

    private final Queue<Committed> rows = new ConcurrentLinkedQueue<>();

    /** The row of an item from a broker, committed now when it is its message's last, else with the next group. */
    static Committed of(Exchange exchange, Runnable then) {
        BatchCommits batch = exchange.getProperty(CaravanHeaders.BATCH_COMMITS, BatchCommits.class);
        if (batch == null) {
            return Committed.awaited(then);
        }
        boolean last = exchange.getProperty(Exchange.SPLIT_COMPLETE, false, Boolean.class);
        Committed committed = last ? Committed.awaited(then) : Committed.gathered(then);
        batch.rows.add(committed);
        return committed;
    }

    /** Waits until every row of the message is committed. */
    void await(Job job) {
        for (Committed row : rows) {
            row.await(job);
        }
    }
}
