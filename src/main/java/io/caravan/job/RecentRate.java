package io.caravan.job;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Items and bytes per second over the last {@link #WINDOW_NANOS} (20 s), from samples of two growing counters: the
 * rate an ETA should use, as a run's average lags behind a change of pace (a large file after many small ones).
 */
final class RecentRate {

    static final long WINDOW_NANOS = 20_000_000_000L;
    private static final long MIN_SPACING_NANOS = 200_000_000L;

    private record Sample(long nanos, long items, long bytes) {
    }

    private final Deque<Sample> samples = new ArrayDeque<>();

    /** Records the counters now, and returns {items/s, bytes/s} since the oldest sample in the window. */
    synchronized double[] sample(long nanos, long items, long bytes) {
        Sample last = samples.peekLast();
        if (last == null || nanos - last.nanos() >= MIN_SPACING_NANOS) {
            samples.addLast(new Sample(nanos, items, bytes));
        }
        while (samples.size() > 2 && nanos - samples.peekFirst().nanos() > WINDOW_NANOS) {
            samples.removeFirst();
        }
        Sample first = samples.peekFirst();
        double seconds = (nanos - first.nanos()) / 1e9;
        if (seconds <= 0) {
            return new double[] {0, 0};
        }
        return new double[] {(items - first.items()) / seconds, (bytes - first.bytes()) / seconds};
    }
}
