package io.caravan.pipeline;

import io.caravan.job.Job;
import org.apache.camel.Exchange;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

/**
 * The ledger rows of one broker message's items, which the message's end waits for before it is acknowledged
 * ({@link WorkIntake}). Its items' exchanges share it (a split's parts see their message's properties).
 */
final class BatchCommits {

    private final Queue<Committed> rows = new ConcurrentLinkedQueue<>();

    /**
     * Writes the row of an item from a broker: committed at once when it is its message's last, else with the next
     * group; the message's end waits for it. An item that came without its message's batch (sent to the transfer
     * route by hand) waits for its own row here.
     */
    static void write(Exchange exchange, Job job, Runnable then, Consumer<Committed> writer) {
        BatchCommits batch = exchange.getProperty(CaravanHeaders.BATCH_COMMITS, BatchCommits.class);
        boolean last = batch == null || exchange.getProperty(Exchange.SPLIT_COMPLETE, false, Boolean.class);
        Committed committed = last ? Committed.awaited(then) : Committed.gathered(then);
        if (batch != null) {
            batch.rows.add(committed);
        }
        writer.accept(committed);
        if (batch == null) {
            committed.await(job);
        }
    }

    /** Waits until every row of the message is committed. */
    void await(Job job) {
        for (Committed row : rows) {
            row.await(job);
        }
    }
}
