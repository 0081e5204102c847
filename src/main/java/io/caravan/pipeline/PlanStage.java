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
            decide(exchange, job, item, Decision.REJECTED, item.size());
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
        Decision decision = recorded(listed.recorded(), item, targetKey);
        decide(exchange, job, item, decision, item.size());
        boolean transfer = (decision == Decision.NEW || decision == Decision.CHANGED) && !run.isDryRun();
        exchange.setProperty(CaravanHeaders.TRANSFER, transfer);
    }

    /**
     * Whether the ledger has this item done, with the same fingerprint and at the same target key: the listing asks
     * this of every item as soon as it has its ledger row, and only the others become exchanges.
     */
    static boolean isUnchanged(Job job, Item item, LedgerEntry entry) {
        if (entry == null || !item.isUsable()) {
            return false;
        }
        try {
            return recorded(entry, item, job.keyMapper().targetKey(item.key())) == Decision.UNCHANGED;
        } catch (ItemRejectedException e) {
            return false;
        }
    }

    static void countUnchanged(Job job, Item item) {
        count(job, item, Decision.UNCHANGED, item.size());
    }

    /** New, changed or unchanged, from the item's ledger row (null when the ledger has none). */
    private static Decision recorded(LedgerEntry entry, Item item, String targetKey) {
        if (entry == null || !entry.status().isWritten()) {
            return Decision.NEW;
        }
        return entry.isDoneWith(item.fingerprint()) && targetKey.equals(entry.targetKey())
                ? Decision.UNCHANGED : Decision.CHANGED;
    }

    private static void decide(Exchange exchange, Job job, Item item, Decision decision, long bytes) {
        exchange.setProperty(CaravanHeaders.DECISION, decision);
        count(job, item, decision, bytes);
    }

    private static void count(Job job, Item item, Decision decision, long bytes) {
        job.run().stats().onPlanned(decision, bytes, job.source().groupOf(item));
    }
}
