package io.caravan.pipeline;

import io.caravan.item.Item;
import io.caravan.item.JobFatalException;
import io.caravan.job.Job;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.util.List;

/**
 * Between plan and the hand-off. With {@code direct} the exchange goes on as it is. With a broker hand-off
 * ({@link HandOff}) the planned item becomes a {@link WorkMessage}, which is all a worker needs, and joins the
 * job's batch ({@code caravan.handoff.batch} items, 20 by default): the exchange that fills it carries the batch to
 * the broker as one message, the others stop here ({@link CaravanHeaders#PUBLISH} false). {@link #rest} is the
 * step after the listing: the last, partly filled batch.
 */
public final class PublishStage implements Processor {

    /** Items per broker message. */
    public static final String BATCH = "caravan.handoff.batch";
    static final int DEFAULT_BATCH = 20;

    private final Jobs jobs;
    private final WorkBatches batches;

    PublishStage(Jobs jobs, WorkBatches batches) {
        this.jobs = jobs;
        this.batches = batches;
    }

    @Override
    public void process(Exchange exchange) {
        Job job = jobs.of(exchange);
        exchange.setProperty(CaravanHeaders.PUBLISH, true);
        if (!HandOff.of(job.settings()).isBroker()) {
            return;
        }
        Item item = exchange.getMessage().getBody(Item.class);
        if (item.record() != null) {
            throw new JobFatalException("job " + job.name() + "'s source lists each item with its body, which a"
                    + " broker hand-off does not carry: set caravan.handoff = direct for this job");
        }
        String targetKey = exchange.getProperty(CaravanHeaders.TARGET_KEY, String.class);
        WorkMessage message = WorkMessage.of(job.name(), job.run().id(), item, targetKey);
        carry(exchange, batches.add(message, Math.max(1, job.settings().integer(BATCH, DEFAULT_BATCH))));
    }

    /** The step after the listing: the exchange carries the run's last batch, if any is left and the run goes on. */
    public Processor rest() {
        return exchange -> {
            Job job = jobs.of(exchange);
            exchange.setProperty(CaravanHeaders.PUBLISH, false);
            List<WorkMessage> rest = batches.rest(job.name(), job.run().id());
            if (HandOff.of(job.settings()).isBroker() && !job.run().isAborted()) {
                carry(exchange, rest);
            }
        };
    }

    private static void carry(Exchange exchange, List<WorkMessage> batch) {
        exchange.setProperty(CaravanHeaders.PUBLISH, batch != null);
        if (batch != null) {
            exchange.setProperty(CaravanHeaders.BATCH, batch);
            exchange.getMessage().setBody(WorkMessage.batchToJson(batch));
        }
    }
}
