package io.caravan.pipeline;

import io.caravan.item.Item;
import io.caravan.item.JobFatalException;
import io.caravan.job.Job;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * Between plan and the hand-off: with a broker hand-off ({@link HandOff}), the planned item becomes a
 * {@link WorkMessage} in JSON, which is all a worker needs; with {@code direct} the exchange goes on as it is.
 */
public final class PublishStage implements Processor {

    private final Jobs jobs;

    public PublishStage(Jobs jobs) {
        this.jobs = jobs;
    }

    @Override
    public void process(Exchange exchange) {
        Job job = jobs.of(exchange);
        if (!HandOff.of(job.settings()).isBroker()) {
            return;
        }
        Item item = exchange.getMessage().getBody(Item.class);
        if (item.record() != null) {
            throw new JobFatalException("job " + job.name() + "'s source lists each item with its body, which a"
                    + " broker hand-off does not carry: set caravan.handoff = direct for this job");
        }
        String targetKey = exchange.getProperty(CaravanHeaders.TARGET_KEY, String.class);
        exchange.getMessage().setBody(WorkMessage.of(job.name(), job.run().id(), item, targetKey).toJson());
    }
}
