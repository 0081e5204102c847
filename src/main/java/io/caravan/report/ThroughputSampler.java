package io.caravan.report;

import io.caravan.job.JobStats;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Takes a sample of what a run has moved every interval (the progress interval), and a last one when the run ends,
 * into the run's {@link ThroughputSamples}: the points of the report's chart.
 */
public final class ThroughputSampler implements AutoCloseable {

    private final JobStats stats;
    private final ThroughputSamples samples;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "caravan-samples");
        t.setDaemon(true);
        return t;
    });

    public ThroughputSampler(JobStats stats, ThroughputSamples samples, Duration interval) {
        this.stats = stats;
        this.samples = samples;
        long millis = Math.max(100, interval.toMillis());
        timer.scheduleAtFixedRate(() -> samples.add(stats.elapsedSeconds(), stats.done(), stats.bytesDone()),
                millis, millis, TimeUnit.MILLISECONDS);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        samples.finish(stats.elapsedSeconds(), stats.done(), stats.bytesDone());
    }
}
