package io.caravan.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.function.ToLongFunction;

/**
 * The largest and the slowest items of a run, for the report: the {@code size} highest of each, in bounded memory
 * (never one entry per item). An item that is neither larger nor slower than the least kept costs a comparison.
 */
public final class TopItems {

    /**
     * One item done: its key, its bytes, and the milliseconds from its transfer's first attempt to its ledger row
     * (-1 when unknown).
     */
    public record Entry(String key, long bytes, long millis) {
    }

    public static final int DEFAULT_SIZE = 20;

    private final int size;
    private final Ranking largest = new Ranking(Entry::bytes);
    private final Ranking slowest = new Ranking(Entry::millis);

    public TopItems() {
        this(DEFAULT_SIZE);
    }

    public TopItems(int size) {
        this.size = size;
    }

    public void add(String key, long bytes, long millis) {
        Entry entry = new Entry(key, bytes, millis);
        largest.offer(entry);
        if (millis >= 0) {
            slowest.offer(entry);
        }
    }

    /** Largest first. */
    public List<Entry> largest() {
        return largest.list();
    }

    /** Slowest first. */
    public List<Entry> slowest() {
        return slowest.list();
    }

    private final class Ranking {

        private final ToLongFunction<Entry> measure;
        private final Comparator<Entry> order;
        private final PriorityQueue<Entry> least;
        /** The least value kept once full; read without the lock so most items pass by untouched. */
        private volatile long floor = Long.MIN_VALUE;

        Ranking(ToLongFunction<Entry> measure) {
            this.measure = measure;
            this.order = Comparator.comparingLong(measure).thenComparing(Entry::key, Comparator.reverseOrder());
            this.least = new PriorityQueue<>(order);
        }

        void offer(Entry entry) {
            if (measure.applyAsLong(entry) < floor) {
                return;
            }
            synchronized (this) {
                if (least.size() < size) {
                    least.add(entry);
                } else if (order.compare(entry, least.peek()) > 0) {
                    least.poll();
                    least.add(entry);
                } else {
                    return;
                }
                if (least.size() == size) {
                    floor = measure.applyAsLong(least.peek());
                }
            }
        }

        synchronized List<Entry> list() {
            List<Entry> all = new ArrayList<>(least);
            all.sort(order.reversed());
            return all;
        }
    }
}
