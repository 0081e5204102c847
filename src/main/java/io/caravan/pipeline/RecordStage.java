package io.caravan.pipeline;

import io.caravan.job.JobStats;
import io.caravan.item.Item;
import io.caravan.job.Job;
import io.caravan.report.TopItems;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** record: the verified outcome goes to the ledger, through its idempotent-repository face; the run counts the item done once its row is committed. */
public final class RecordStage implements Processor {

    private final Jobs jobs;

    public RecordStage(Jobs jobs) {
        this.jobs = jobs;
    }

    @Override
    public void process(Exchange exchange) {
        Job job = jobs.of(exchange);
        Item item = exchange.getMessage().getBody(Item.class);
        JobStats stats = job.run().stats();
        long bytes = exchange.getProperty(CaravanHeaders.BYTES, 0L, Long.class);
        String outcome = exchange.getProperty(CaravanHeaders.OUTCOME, String.class);
        Long started = exchange.getProperty(CaravanHeaders.STARTED, Long.class);
        TopItems top = job.run().topItems();
        // done once recorded: a run stopped by its ledger never counts an item done that the ledger does not hold
        Runnable done = () -> {
            stats.onDone(bytes, outcome);
            // a route that records without caravanTransfer has no start time: its items rank by size only
            top.add(item.key(), bytes, started == null ? -1 : (System.nanoTime() - started) / 1_000_000);
        };
        if (!Committed.isAcknowledged(exchange)) {
            exchange.setProperty(CaravanHeaders.ON_RECORDED, done);
            job.ledgerRepository().add(exchange, item.key());
            return;
        }
        // from a broker: its message is acknowledged only once the rows of its items are committed
        BatchCommits.write(exchange, job, done, committed -> {
            exchange.setProperty(CaravanHeaders.ON_RECORDED, committed);
            job.ledgerRepository().add(exchange, item.key());
        });
    }
}
