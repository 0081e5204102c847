package io.caravan.ops;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Per-job gauges for Prometheus ({@code /observe/metrics}): the counts of the current run, or of the last one
 * once it has finished, and whether the job is running.
 */
final class JobMetrics {

    private JobMetrics() {
    }

    static void register(MeterRegistry registry, String job, JobControl control) {
        Map<String, ToDoubleFunction<JobControl>> items = Map.of(
                "listed", JobControl::getListed,
                "planned", JobControl::getPlanned,
                "done", JobControl::getDone,
                "skipped", JobControl::getSkipped,
                "rejected", JobControl::getRejected,
                "failed", JobControl::getFailed);
        items.forEach((outcome, value) -> Gauge.builder("caravan.job.items", control, value)
                .description("items of the job's current or last run, by outcome")
                .tag("job", job).tag("outcome", outcome).register(registry));
        Gauge.builder("caravan.job.bytes", control, JobControl::getBytes)
                .description("bytes moved by the job's current or last run").tag("job", job).register(registry);
        Gauge.builder("caravan.job.running", control, c -> c.isRunning() ? 1 : 0)
                .description("1 while the job runs").tag("job", job).register(registry);
    }
}
