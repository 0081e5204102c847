package io.caravan.ops;

import io.caravan.job.JobStats;
import io.caravan.plan.Decision;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Per-job gauges for Prometheus ({@code /observe/metrics}): the counts of the current run, or of the last one
 * once it has finished, and whether the job is running; each tagged with the instance that counted them
 * ({@code caravan.instance}), so the workers of one job each show their share.
 */
final class JobMetrics {

    private static final Map<String, ToDoubleFunction<JobStats>> ITEMS = Map.of(
            "listed", JobStats::listed,
            "planned", JobStats::toTransfer,
            "done", JobStats::done,
            "skipped", s -> s.planned(Decision.UNCHANGED),
            "rejected", JobStats::rejected,
            "failed", JobStats::failed);

    private JobMetrics() {
    }

    /** @param stats the job's current or last run's counts on this instance */
    static void register(MeterRegistry registry, String job, String instance, Supplier<JobStats> stats,
                         BooleanSupplier running) {
        ITEMS.forEach((outcome, value) -> Gauge.builder("caravan.job.items", stats, s -> value.applyAsDouble(s.get()))
                .description("items of the job's current or last run on this instance, by outcome")
                .tags("job", job, "outcome", outcome, "instance", instance).strongReference(true)
                .register(registry));
        Gauge.builder("caravan.job.bytes", stats, s -> s.get().bytesDone())
                .description("bytes moved by the job's current or last run on this instance")
                .tags("job", job, "instance", instance).strongReference(true).register(registry);
        Gauge.builder("caravan.job.running", running, r -> r.getAsBoolean() ? 1 : 0)
                .description("1 while the job runs on this instance").tags("job", job, "instance", instance)
                .strongReference(true).register(registry);
    }
}
