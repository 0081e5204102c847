package io.caravan.job;

import io.caravan.plan.Decision;

import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;

/** The counters of one run, updated by every worker; progress, the report and JMX read them. */
public final class JobStats {

    private final long startedNanos = System.nanoTime();
    private final LongAdder listed = new LongAdder();
    private final LongAdder excluded = new LongAdder();
    private final PlannedCounts planned = new PlannedCounts();
    private final LongAdder done = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder bytesDone = new LongAdder();
    private final AtomicBoolean listingComplete = new AtomicBoolean();
    /** For sources that sort their items into groups (Seafile's object types, a database's tables). */
    private final Map<String, PlannedCounts> byGroup = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();

    public void onListed() {
        listed.increment();
    }

    public void onExcluded() {
        excluded.increment();
    }

    /** @param group the item's group, or null when the source has none */
    public void onPlanned(Decision decision, long bytes, String group) {
        planned.add(decision, bytes);
        if (group != null) {
            byGroup.computeIfAbsent(group, g -> new PlannedCounts()).add(decision, bytes);
        }
    }

    public PlannedCounts plannedCounts() {
        return planned;
    }

    /** The plan's counts per group, groups in name order. */
    public Map<String, PlannedCounts> plannedByGroup() {
        return new TreeMap<>(byGroup);
    }

    /** @param outcome what the target did ("created", "updated"), or null when it says nothing */
    public void onDone(long bytes, String outcome) {
        done.increment();
        bytesDone.add(bytes);
        if (outcome != null) {
            outcomes.computeIfAbsent(outcome, o -> new LongAdder()).increment();
        }
    }

    /** Items done, per what the target did with them, outcomes in name order. */
    public Map<String, Long> outcomes() {
        Map<String, Long> counts = new TreeMap<>();
        outcomes.forEach((outcome, n) -> counts.put(outcome, n.sum()));
        return counts;
    }

    /** Outcomes that workers recorded for this run through a broker hand-off, added as the run learns of them. */
    public void addOutcomes(long doneItems, long doneBytes, long rejectedItems, long failedItems) {
        done.add(doneItems);
        bytesDone.add(doneBytes);
        rejected.add(rejectedItems);
        failed.add(failedItems);
    }

    public void onRejected() {
        rejected.increment();
    }

    public void onFailed() {
        failed.increment();
    }

    public void onListingComplete() {
        listingComplete.set(true);
    }

    public boolean isListingComplete() {
        return listingComplete.get();
    }

    public long listed() {
        return listed.sum();
    }

    public long excluded() {
        return excluded.sum();
    }

    public long planned(Decision decision) {
        return planned.items(decision);
    }

    public long plannedBytes(Decision decision) {
        return planned.bytes(decision);
    }

    /** Items the plan sent to transfer. */
    public long toTransfer() {
        return planned(Decision.NEW) + planned(Decision.CHANGED);
    }

    public long bytesToTransfer() {
        return plannedBytes(Decision.NEW) + plannedBytes(Decision.CHANGED);
    }

    public long done() {
        return done.sum();
    }

    public long rejected() {
        return rejected.sum();
    }

    public long failed() {
        return failed.sum();
    }

    public long bytesDone() {
        return bytesDone.sum();
    }

    public double itemsPerSecond() {
        return done() / Math.max(elapsedSeconds(), 0.001);
    }

    public double bytesPerSecond() {
        return bytesDone() / Math.max(elapsedSeconds(), 0.001);
    }

    /** Seconds left at the current rate, by bytes when bytes move, else by items; -1 until listing is complete. */
    public long etaSeconds() {
        if (!isListingComplete()) {
            return -1;
        }
        long remainingBytes = Math.max(0, bytesToTransfer() - bytesDone());
        long remainingItems = Math.max(0, toTransfer() - done() - failed() - rejected());
        if (remainingBytes > 0 && bytesPerSecond() > 0) {
            return (long) (remainingBytes / bytesPerSecond());
        }
        return itemsPerSecond() > 0 ? (long) (remainingItems / itemsPerSecond()) : (remainingItems == 0 ? 0 : -1);
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - startedNanos) / 1e9;
    }
}
