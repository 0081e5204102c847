package io.caravan.pipeline;

import io.caravan.job.Job;
import io.caravan.ledger.LedgerEntry;
import org.apache.camel.builder.RouteBuilder;

import java.util.List;
import java.util.Map;

/**
 * A worker's route {@code <job>.intake}: it consumes the job's hand-off queue with {@code caravan.workers} consumers,
 * looks up the ledger rows of a message's items at once, and hands the items one after the other to
 * {@code direct:<job>.transfer}. Their rows go to the ledger's group commits as any run's do, the last item's
 * committed at once with them, and the message is acknowledged once all are committed ({@link BatchCommits}). A
 * worker that dies before then leaves the whole batch to the others, who skip the items already done
 * ({@link ReceiveStage}). An item's error is its own (recorded as rejected or failed by the transfer's error
 * handling); once one has stopped the worker, the batch's other items stop too, and the message stays
 * unacknowledged.
 */
public final class WorkIntake extends RouteBuilder {

    private final Job job;
    private final String queueUri;
    private final Object runCheck = new Object();
    private String checkedRun;

    /** @param queueUri the queue as consumed ({@link HandOff#consumeUri}) */
    WorkIntake(Job job, String queueUri) {
        this.job = job;
        this.queueUri = queueUri;
    }

    /** The intake of a job whose {@code caravan.handoff} names a broker queue. */
    public static WorkIntake of(Job job) {
        return new WorkIntake(job, HandOff.of(job.settings()).consumeUri(job.name(),
                job.settings().integer("caravan.workers", 16)));
    }

    @Override
    public void configure() {
        from(queueUri)
                .routeId(job.name() + ".intake")
                // what fails here leaves the message unacknowledged for another worker: nothing to handle
                .errorHandler(noErrorHandler())
                .setProperty(CaravanHeaders.JOB, constant(job.name()))
                .process(exchange -> {
                    List<WorkMessage> batch = WorkMessage.batchFromJson(
                            exchange.getMessage().getMandatoryBody(String.class));
                    checkSourceFor(batch.get(0).runId());
                    Map<String, LedgerEntry> entries = job.ledger().findAll(job.scope(),
                            batch.stream().map(WorkMessage::key).toList());
                    exchange.setProperty(CaravanHeaders.BATCH_ENTRIES, entries);
                    exchange.setProperty(CaravanHeaders.BATCH_COMMITS, new BatchCommits());
                    exchange.getMessage().setBody(batch);
                })
                // not stopOnException: that stops at an item rejected or failed too, which is the item's own outcome
                .split(body())
                    .process(exchange -> {
                        if (job.run().isAborted()) {
                            throw new WorkerStoppedException("this worker stopped: " + job.run().fatalError());
                        }
                    })
                    .to("direct:" + job.name() + ".transfer")
                .end()
                .process(exchange -> exchange.getProperty(CaravanHeaders.BATCH_COMMITS, BatchCommits.class)
                        .await(job));
    }

    /**
     * The source checked again at the first batch of each run, as the run's planner checked it: a worker outlives
     * runs, and a source may change between them (a SQL table's primary key, whose columns bound every chunk). A
     * check that fails leaves the batch unacknowledged, and the next batch checks again.
     */
    private void checkSourceFor(String runId) {
        synchronized (runCheck) {
            if (!runId.equals(checkedRun)) {
                job.source().check();
                checkedRun = runId;
            }
        }
    }
}
