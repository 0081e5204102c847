package io.caravan.pipeline;

import io.caravan.item.Item;
import io.caravan.item.ItemRejectedException;
import io.caravan.job.Job;
import io.caravan.job.JobRun;
import io.caravan.ledger.LedgerIdempotentRepository;
import io.caravan.ledger.LedgerStatus;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * What the shared error handling does with an item that did not move: rejected (bad input), failed
 * (retries exhausted), or the whole run aborted (job-fatal). The item is named with its reason in the
 * rejects file and the ledger; the job goes on unless aborted.
 */
public final class OutcomeStage implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(OutcomeStage.class);

    public enum Kind { REJECTED, FAILED, ABORTED }

    private final Jobs jobs;
    private final Kind kind;

    public OutcomeStage(Jobs jobs, Kind kind) {
        this.jobs = jobs;
        this.kind = kind;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) {
        Job job = jobs.of(exchange);
        JobRun run = job.run();
        Exception error = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String reason = reasonOf(error);
        if (kind == Kind.ABORTED) {
            if (run.abort(reason)) {
                LOG.error("job {} stopped: {}", job.name(), reason);
            } else {
                LOG.debug("job {} already stopped; another worker met: {}", job.name(), reason);
            }
            if (Committed.isAcknowledged(exchange)) {
                throw new WorkerStoppedException("this worker stopped: " + reason);
            }
            return;
        }
        String stage = error instanceof ItemRejectedException r ? r.stage() : "transfer";
        List<WorkMessage> batch = exchange.getProperty(CaravanHeaders.BATCH, List.class);
        if (batch != null) {
            // a batch the broker did not take: none of its items was published
            batch.forEach(m -> notMoved(exchange, job, m.item(), m.targetKey(), "publish", reason));
            return;
        }
        notMoved(exchange, job, exchange.getMessage().getBody(Item.class),
                exchange.getProperty(CaravanHeaders.TARGET_KEY, String.class), stage, reason);
    }

    private void notMoved(Exchange exchange, Job job, Item item, String targetKey, String stage, String reason) {
        JobRun run = job.run();
        String status = kind == Kind.REJECTED ? "rejected" : "failed";
        LOG.warn("{} {} at {}: {}", status, item.key(), stage, reason);
        if (kind == Kind.REJECTED) {
            run.stats().onRejected(item.size());
        } else {
            run.stats().onFailed(item.size());
        }
        run.rejects().add(item.key(), status, stage, reason);
        run.itemNotMoved(item.key(), reason);
        if (!run.isDryRun()) {
            LedgerStatus ledgerStatus = kind == Kind.REJECTED ? LedgerStatus.REJECTED : LedgerStatus.FAILED;
            if (!Committed.isAcknowledged(exchange)) {
                job.ledger().recordFailure(job.scope(), item.key(), item.fingerprint(), ledgerStatus, targetKey, reason);
            } else {
                // from a broker: its message is acknowledged only once the rows of its items are committed
                BatchCommits.write(exchange, job, null, committed -> job.ledger().recordFailure(job.scope(),
                        item.key(), item.fingerprint(), ledgerStatus, targetKey, reason,
                        LedgerIdempotentRepository.originOf(exchange), committed));
            }
        }
    }

    private static String reasonOf(Throwable error) {
        if (error == null) {
            return "unknown error";
        }
        if (error instanceof ItemRejectedException) {
            return error.getMessage();
        }
        String message = error.getMessage();
        return message == null ? error.getClass().getSimpleName() : message;
    }
}
