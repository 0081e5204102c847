package io.caravan.job;

import io.caravan.plan.Decision;

import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/** The counters of one run, updated by every worker; progress, the report and JMX read them. */
public final class JobStats {

    private final LongSupplier clock;
    private final long startedNanos;
    private final LongAdder listed = new LongAdder();
    private final LongAdder listedBytes = new LongAdder();
    private final LongAdder excluded = new LongAdder();
    private final LongAdder excludedBytes = new LongAdder();
    /** Bytes of the items that ended rejected or failed: settled, though not moved. */
    private final LongAdder bytesNotMoved = new LongAdder();
    private final RecentRate recent = new RecentRate();

    public JobStats() {
        this(System::nanoTime);
    }

    /** @param clock nanoseconds, as {@link System#nanoTime()} (a test's own clock) */
    public JobStats(LongSupplier clock) {
        this.clock = clock;
        this.startedNanos = clock.getAsLong();
    }
    private final PlannedCounts planned = new PlannedCounts();
    private final LongAdder done = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder bytesDone = new LongAdder();
    private final AtomicBoolean listingComplete = new AtomicBoolean();
    /** For sources that sort their items into groups (Seafile's object types, a database's tables). */
    private final Map<String, PlannedCounts> byGroup = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> outcomes = new ConcurrentHashMap<>();

    public void onListed(long bytes) {
        listed.increment();
        listedBytes.add(Math.max(0, bytes));
    }

    public void onExcluded(long bytes) {
        excluded.increment();
        excludedBytes.add(Math.max(0, bytes));
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

    public void onRejected(long bytes) {
        rejected.increment();
        bytesNotMoved.add(Math.max(0, bytes));
    }

    public void onFailed(long bytes) {
        failed.increment();
        bytesNotMoved.add(Math.max(0, bytes));
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

    /** Items whose outcome is known: skipped as unchanged, done, rejected or failed. */
    public long settled() {
        return planned(Decision.UNCHANGED) + done() + rejected() + failed();
    }

    public long settledBytes() {
        return plannedBytes(Decision.UNCHANGED) + bytesDone() + bytesNotMoved.sum();
    }

    /** Items the run has to settle: all it listed and did not exclude. The real total once listing is complete. */
    public long total() {
        return listed() - excluded();
    }

    public long totalBytes() {
        return listedBytes.sum() - excludedBytes.sum();
    }

    /** {items/s, bytes/s} settled over the last 20 seconds. */
    public double[] recentRates() {
        return recent.sample(clock.getAsLong(), settled(), settledBytes());
    }

    /**
     * Seconds left at the recent rate; -1 until listing is complete (the total is not known before) or while
     * nothing has settled lately. The longer of the time the remaining bytes and the remaining items need, so the
     * last large file is not given the pace of the many small ones before it.
     */
    public long etaSeconds() {
        double[] rates = recentRates();
        if (!isListingComplete()) {
            return -1;
        }
        long remainingItems = Math.max(0, total() - settled());
        long remainingBytes = Math.max(0, totalBytes() - settledBytes());
        if (remainingItems == 0) {
            return 0;
        }
        double byItems = rates[0] > 0 ? remainingItems / rates[0] : Double.POSITIVE_INFINITY;
        double byBytes = remainingBytes == 0 ? 0 : rates[1] > 0 ? remainingBytes / rates[1] : byItems;
        double eta = Math.max(byItems, byBytes);
        return Double.isInfinite(eta) ? -1 : (long) Math.ceil(eta);
    }

    public double elapsedSeconds() {
        return (clock.getAsLong() - startedNanos) / 1e9;
    }
}
