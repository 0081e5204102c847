package io.caravan.pipeline;

import io.caravan.item.Item;
import io.caravan.job.Job;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/** record: the verified outcome goes to the ledger, through its idempotent-repository face. */
public final class RecordStage implements Processor {

    private final Jobs jobs;

    public RecordStage(Jobs jobs) {
        this.jobs = jobs;
    }

    @Override
    public void process(Exchange exchange) {
        Job job = jobs.of(exchange);
        Item item = exchange.getMessage().getBody(Item.class);
        job.ledgerRepository().add(exchange, item.key());
        job.run().stats().onDone(exchange.getProperty(CaravanHeaders.BYTES, 0L, Long.class),
                exchange.getProperty(CaravanHeaders.OUTCOME, String.class));
    }
}
