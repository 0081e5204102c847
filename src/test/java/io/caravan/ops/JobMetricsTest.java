package io.caravan.ops;

import io.caravan.job.JobStats;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The job's Prometheus series carry the instance that counted them: each worker shows its own share. */
class JobMetricsTest {

    @Test
    void should_tag_every_series_of_a_job_with_this_instance() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        JobStats stats = new JobStats();
        JobMetrics.register(registry, "folder-to-s3", "worker-2", () -> stats, () -> true);
        stats.onDone(1_000, "copied");
        stats.onDone(500, "copied");
        stats.onRejected(0);

        String scrape = registry.scrape();

        assertThat(scrape)
                .contains("caravan_job_items{instance=\"worker-2\",job=\"folder-to-s3\",outcome=\"done\"} 2.0")
                .contains("caravan_job_items{instance=\"worker-2\",job=\"folder-to-s3\",outcome=\"rejected\"} 1.0")
                .contains("caravan_job_items{instance=\"worker-2\",job=\"folder-to-s3\",outcome=\"failed\"} 0.0")
                .contains("caravan_job_bytes{instance=\"worker-2\",job=\"folder-to-s3\"} 1500.0")
                .contains("caravan_job_running{instance=\"worker-2\",job=\"folder-to-s3\"} 1.0");
        assertThat(scrape.lines().filter(l -> l.startsWith("caravan_job"))).as("no series without its instance")
                .allMatch(l -> l.contains("instance=\"worker-2\""));
    }
}
