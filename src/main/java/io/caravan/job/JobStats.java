package io.caravan.job;

import io.caravan.plan.Decision;

import java.util.EnumMap;
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
    private final Map<Decision, LongAdder> planned = new EnumMap<>(Decision.class);
    private final Map<Decision, LongAdder> plannedBytes = new EnumMap<>(Decision.class);
    private final LongAdder done = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder bytesDone = new LongAdder();
    private final AtomicBoolean listingComplete = new AtomicBoolean();
    /** group → decision → {items, bytes}; for sources that sort their items into groups (Seafile's object types) */
    private final Map<String, Map<Decision, LongAdder[]>> byGroup = new ConcurrentHashMap<>();

    public JobStats() {
        for (Decision d : Decision.values()) {
            planned.put(d, new LongAdder());
            plannedBytes.put(d, new LongAdder());
        }
    }

    public void onListed() {
        listed.increment();
    }

    public void onExcluded() {
        excluded.increment();
    }

    public void onPlanned(Decision decision, long bytes) {
        planned.get(decision).increment();
        plannedBytes.get(decision).add(bytes);
    }

    public void onPlanned(Decision decision, long bytes, String group) {
        onPlanned(decision, bytes);
        if (group != null) {
            LongAdder[] counts = byGroup.computeIfAbsent(group, g -> {
                Map<Decision, LongAdder[]> m = new EnumMap<>(Decision.class);
                for (Decision d : Decision.values()) {
                    m.put(d, new LongAdder[]{new LongAdder(), new LongAdder()});
                }
                return m;
            }).get(decision);
            counts[0].increment();
            counts[1].add(bytes);
        }
    }

    /** Items and bytes per group and decision, groups in name order. */
    public Map<String, Map<Decision, long[]>> plannedByGroup() {
        Map<String, Map<Decision, long[]>> result = new TreeMap<>();
        byGroup.forEach((group, decisions) -> {
            Map<Decision, long[]> m = new EnumMap<>(Decision.class);
            decisions.forEach((d, c) -> m.put(d, new long[]{c[0].sum(), c[1].sum()}));
            result.put(group, m);
        });
        return result;
    }

    public void onDone(long bytes) {
        done.increment();
        bytesDone.add(bytes);
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
        return planned.get(decision).sum();
    }

    public long plannedBytes(Decision decision) {
        return plannedBytes.get(decision).sum();
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
