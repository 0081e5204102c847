package io.caravan.verify;

import java.util.EnumMap;
import java.util.Map;

/** Counts per kind of difference. */
public final class VerifyResult {

    private final Map<Difference.Kind, Long> counts = new EnumMap<>(Difference.Kind.class);

    public void add(Difference.Kind kind) {
        counts.merge(kind, 1L, Long::sum);
    }

    public long count(Difference.Kind kind) {
        return counts.getOrDefault(kind, 0L);
    }

    /** Whether every item matches or was rejected at the source with its reason: nothing a run could still do. */
    public boolean passes() {
        return counts.keySet().stream().allMatch(k -> k == Difference.Kind.MATCH || k == Difference.Kind.REJECTED);
    }

    public String summary() {
        StringBuilder b = new StringBuilder();
        for (Difference.Kind k : Difference.Kind.values()) {
            b.append(b.length() == 0 ? "" : ", ").append(count(k)).append(' ').append(k.name().toLowerCase());
        }
        return b.toString();
    }
}
