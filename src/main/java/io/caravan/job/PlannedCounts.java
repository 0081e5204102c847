package io.caravan.job;

import io.caravan.plan.Decision;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** Items and bytes per plan decision, counted by every worker at once: for the whole run, or one group of it. */
public final class PlannedCounts {

    private final Map<Decision, LongAdder> items = new EnumMap<>(Decision.class);
    private final Map<Decision, LongAdder> bytes = new EnumMap<>(Decision.class);

    PlannedCounts() {
        for (Decision d : Decision.values()) {
            items.put(d, new LongAdder());
            bytes.put(d, new LongAdder());
        }
    }

    void add(Decision decision, long size) {
        items.get(decision).increment();
        bytes.get(decision).add(size);
    }

    public long items(Decision decision) {
        return items.get(decision).sum();
    }

    public long bytes(Decision decision) {
        return bytes.get(decision).sum();
    }
}
