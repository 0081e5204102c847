package io.caravan.pipeline;

import io.caravan.item.Item;
import io.caravan.job.Job;
import io.caravan.ledger.LedgerEntry;
import io.caravan.ledger.LedgerStatus;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.util.List;
import java.util.Map;

/**
 * First step of transfer: an item handed over in this process ({@code direct}) goes on as it is; a
 * {@link WorkMessage} from a broker's batch ({@link WorkIntake}) becomes the item again, with the run it was planned
 * in and this instance's name for its ledger row. A message the broker delivers again (its worker died before
 * acknowledging it) whose item the ledger already has done, with this fingerprint at this target key, is not copied
 * again: only its row is written again, for this run. The intake looked up the batch's rows at once.
 */
public final class ReceiveStage implements Processor {

    private final Jobs jobs;

    public ReceiveStage(Jobs jobs) {
        this.jobs = jobs;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void process(Exchange exchange) {
        if (!(exchange.getMessage().getBody() instanceof WorkMessage work)) {
            return;
        }
        exchange.setProperty(CaravanHeaders.JOB, work.job());
        Job job = jobs.of(exchange);
        exchange.setProperty(CaravanHeaders.FINGERPRINT, work.fingerprint());
        exchange.setProperty(CaravanHeaders.TARGET_KEY, work.targetKey());
        exchange.setProperty(CaravanHeaders.RUN_ID, work.runId());
        exchange.setProperty(CaravanHeaders.WORKER, HandOff.instance(job.settings()));
        exchange.getMessage().setBody(work.item());
        Map<String, LedgerEntry> entries = exchange.getProperty(CaravanHeaders.BATCH_ENTRIES, Map.class);
        LedgerEntry entry = (entries != null ? entries : job.ledger().findAll(job.scope(), List.of(work.key())))
                .get(work.key());
        if (entry != null && entry.isDoneWith(work.fingerprint()) && work.targetKey().equals(entry.targetKey())) {
            exchange.setProperty(CaravanHeaders.ALREADY_DONE, true);
            exchange.setProperty(CaravanHeaders.CHECKSUM, entry.checksum());
            exchange.setProperty(CaravanHeaders.BYTES, entry.bytes());
            exchange.setProperty(CaravanHeaders.OUTCOME, "already done");
            exchange.setProperty(CaravanHeaders.VERIFIED, true);
            exchange.setProperty(CaravanHeaders.UNVERIFIED, entry.status() == LedgerStatus.UNVERIFIED);
        }
    }
}
