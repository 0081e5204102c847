package io.caravan.pipeline;

import io.caravan.item.Item;
import io.caravan.item.ItemRejectedException;
import io.caravan.job.Job;
import io.caravan.job.JobRun;
import io.caravan.ledger.Ledger;
import io.caravan.ledger.LedgerEntry;
import io.caravan.ledger.LedgerStatus;
import io.caravan.plan.Decision;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * plan: from the item's ledger row (looked up by the listing, a batch at a time) decides new, changed, unchanged or
 * rejected. Only the ledger is asked, never the target: this is what makes a rerun fast. The listing counts the
 * items it finds unchanged itself ({@link #isUnchanged}), so on a rerun they cost no exchange and no worker.
 */
public final class PlanStage implements Processor {

    private final Jobs jobs;

    public PlanStage(Jobs jobs) {
        this.jobs = jobs;
    }

    @Override
    public void process(Exchange exchange) {
        Job job = jobs.of(exchange);
        JobRun run = job.run();
        ListedItem listed = exchange.getMessage().getBody(ListedItem.class);
        Item item = listed.item();
        exchange.getMessage().setBody(item);
        exchange.setProperty(CaravanHeaders.FINGERPRINT, item.fingerprint());
        if (!item.isUsable()) {
            decide(exchange, job, item, Decision.REJECTED, 0);
            throw new ItemRejectedException("list", item.problem());
        }
        String targetKey;
        try {
            targetKey = job.keyMapper().targetKey(item.key());
        } catch (ItemRejectedException e) {
            decide(exchange, job, item, Decision.REJECTED, item.size());
            throw e;
        }
        if (item.key().length() > Ledger.MAX_KEY_LENGTH || targetKey.length() > Ledger.MAX_KEY_LENGTH) {
            decide(exchange, job, item, Decision.REJECTED, item.size());
            throw new ItemRejectedException("plan", "the key is longer than the ledger's " + Ledger.MAX_KEY_LENGTH
                    + " characters");
        }
        exchange.setProperty(CaravanHeaders.TARGET_KEY, targetKey);
        LedgerEntry entry = listed.recorded();
        Decision decision;
        if (entry == null || entry.status() != LedgerStatus.DONE) {
            decision = Decision.NEW;
        } else if (isDoneWith(entry, item, targetKey)) {
            decision = Decision.UNCHANGED;
        } else {
            decision = Decision.CHANGED;
        }
        decide(exchange, job, item, decision, item.size());
        boolean transfer = (decision == Decision.NEW || decision == Decision.CHANGED) && !run.isDryRun();
        exchange.setProperty(CaravanHeaders.TRANSFER, transfer);
    }

    /**
     * Whether the ledger has this item done, with the same fingerprint and at the same target key: the listing asks
     * this of every item as soon as it has its ledger row, and only the others become exchanges.
     */
    static boolean isUnchanged(Job job, Item item, LedgerEntry entry) {
        if (entry == null || entry.status() != LedgerStatus.DONE || !item.isUsable()) {
            return false;
        }
        try {
            return isDoneWith(entry, item, job.keyMapper().targetKey(item.key()));
        } catch (ItemRejectedException e) {
            return false;
        }
    }

    private static boolean isDoneWith(LedgerEntry entry, Item item, String targetKey) {
        return entry.isDoneWith(item.fingerprint()) && targetKey.equals(entry.targetKey());
    }

    static void countUnchanged(Job job, Item item) {
        job.run().stats().onPlanned(Decision.UNCHANGED, item.size(), job.source().groupOf(item));
    }

    private static void decide(Exchange exchange, Job job, Item item, Decision decision, long bytes) {
        exchange.setProperty(CaravanHeaders.DECISION, decision);
        job.run().stats().onPlanned(decision, bytes, job.source().groupOf(item));
    }
}
