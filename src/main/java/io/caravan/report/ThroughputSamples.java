package io.caravan.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The run's progress over time, for the report's chart: what had moved (items and bytes done) at each sample, in
 * bounded memory however long the run. Once {@code capacity} samples are held, every other one is dropped and only
 * every other tick is kept from then on, so a three-day run holds as many points as a three-minute one, each
 * further apart. The rates are worked out from the samples kept, so they stay true averages between two points.
 */
public final class ThroughputSamples {

    /** One point: seconds since the run started, and the items and bytes done by then. */
    public record Sample(double seconds, long items, long bytes) {
    }

    /** A point of the chart: a sample and the rates since the point before it (since the start for the first). */
    public record Point(double seconds, long items, long bytes, double itemsPerSecond, double bytesPerSecond) {
    }

    public static final int DEFAULT_CAPACITY = 720;

    private final int capacity;
    private final List<Sample> kept = new ArrayList<>();
    private long ticks;
    private long stride = 1;

    public ThroughputSamples() {
        this(DEFAULT_CAPACITY);
    }

    public ThroughputSamples(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("capacity must be at least 2");
        }
        this.capacity = capacity;
    }

    /** A tick of the sampler: kept when it falls on the current stride. */
    public synchronized void add(double seconds, long items, long bytes) {
        long tick = ticks++;
        if (tick % stride != 0) {
            return;
        }
        if (kept.size() == capacity) {
            // the ticks kept are 0, stride, 2·stride...: keeping every other one leaves those of the doubled stride
            List<Sample> halved = new ArrayList<>(capacity);
            for (int i = 0; i < kept.size(); i += 2) {
                halved.add(kept.get(i));
            }
            kept.clear();
            kept.addAll(halved);
            stride *= 2;
            if (tick % stride != 0) {
                return;
            }
        }
        kept.add(new Sample(seconds, items, bytes));
    }

    /** The last point, at the run's end: always kept, whatever the stride, so the chart ends at the totals. */
    public synchronized void finish(double seconds, long items, long bytes) {
        if (!kept.isEmpty() && kept.get(kept.size() - 1).seconds() >= seconds) {
            return;
        }
        if (kept.size() == capacity) {
            kept.remove(kept.size() - 1);
        }
        kept.add(new Sample(seconds, items, bytes));
    }

    public synchronized List<Point> points() {
        List<Point> points = new ArrayList<>(kept.size());
        Sample before = new Sample(0, 0, 0);
        for (Sample s : kept) {
            double dt = s.seconds() - before.seconds();
            points.add(new Point(round(s.seconds()), s.items(), s.bytes(),
                    dt > 0 ? round((s.items() - before.items()) / dt) : 0,
                    dt > 0 ? round((s.bytes() - before.bytes()) / dt) : 0));
            before = s;
        }
        return points;
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
