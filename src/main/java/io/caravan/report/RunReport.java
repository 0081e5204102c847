package io.caravan.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.caravan.job.Job;
import io.caravan.job.JobRun;
import io.caravan.job.JobStats;
import io.caravan.job.PlannedCounts;
import io.caravan.plan.Decision;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a run did, per decision and outcome; written as text, JSON and a page ({@link HtmlReport}) beside the rejects
 * file. The JSON also holds the throughput samples and the largest and slowest items the page shows; reports of
 * runs before those were kept read back with them null.
 */
public record RunReport(String job, String runId, boolean dryRun, Instant startedAt, Instant finishedAt,
                        double seconds, String source, String target, String scope, long listed, long excluded,
                        Map<String, Counts> plan, Map<String, Map<String, Counts>> planByGroup, long done,
                        Map<String, Long> outcomes, long bytesDone, long rejected, long failed,
                        double itemsPerSecond, double bytesPerSecond, String fatalError, String rejectsFile,
                        List<String> steps, int exitCode, List<ThroughputSamples.Point> samples,
                        List<TopItems.Entry> largest, List<TopItems.Entry> slowest) {

    public static final int EXIT_OK = 0;
    public static final int EXIT_CONFIG_OR_FATAL = 2;
    public static final int EXIT_ITEMS_NOT_DONE = 3;

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);

    public record Counts(long items, long bytes) {
    }

    public static RunReport of(Job job, JobRun run, Instant finishedAt) {
        JobStats s = run.stats();
        Map<String, Map<String, Counts>> byGroup = new LinkedHashMap<>();
        s.plannedByGroup().forEach((group, counts) -> byGroup.put(group, countsOf(counts)));
        double seconds = Duration.between(run.startedAt(), finishedAt).toMillis() / 1000.0;
        int exit = run.isAborted() ? EXIT_CONFIG_OR_FATAL
                : s.rejected() + s.failed() > 0 ? EXIT_ITEMS_NOT_DONE : EXIT_OK;
        return new RunReport(job.name(), run.id(), run.isDryRun(), run.startedAt(), finishedAt, seconds,
                job.source().describe(), job.target().describe(), run.scope().id(), s.listed(), s.excluded(),
                countsOf(s.plannedCounts()), byGroup,
                s.done(), s.outcomes(), s.bytesDone(), s.rejected(), s.failed(),
                seconds > 0 ? s.done() / seconds : 0, seconds > 0 ? s.bytesDone() / seconds : 0,
                run.fatalError(), Files.exists(run.rejects().path()) ? run.rejects().path().toString() : null,
                run.steps(), exit, run.samples().points(), run.topItems().largest(), run.topItems().slowest());
    }

    private static Map<String, Counts> countsOf(PlannedCounts planned) {
        Map<String, Counts> counts = new LinkedHashMap<>();
        for (Decision d : Decision.values()) {
            counts.put(d.name().toLowerCase(Locale.ROOT), new Counts(planned.items(d), planned.bytes(d)));
        }
        return counts;
    }

    public static RunReport fromJson(String json) {
        try {
            return JSON.readValue(json, RunReport.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("not a run report: " + e.getMessage(), e);
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public String toText() {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%s %s of job %s: %s → %s%n", dryRun ? "Dry run" : "Run", runId, job,
                source, target));
        if (scope != null) {
            b.append(String.format(Locale.ROOT, "  ledger scope %s (`caravan status %s` lists the scopes)%n", scope,
                    job));
        }
        b.append(String.format(Locale.ROOT, "  listed     %,12d   (excluded by filters: %,d)%n", listed, excluded));
        for (Map.Entry<String, Counts> e : plan.entrySet()) {
            b.append(String.format(Locale.ROOT, "  %-10s %,12d   %s%n", e.getKey(), e.getValue().items(),
                    Bytes.human(e.getValue().bytes())));
        }
        if (planByGroup != null && !planByGroup.isEmpty()) {
            b.append("  per group:").append(System.lineSeparator());
            planByGroup.forEach((group, decisions) -> {
                b.append(String.format(Locale.ROOT, "    %-8s", group));
                decisions.forEach((d, c) -> b.append(String.format(Locale.ROOT, "  %s %,d (%s)", d, c.items(),
                        Bytes.human(c.bytes()))));
                b.append(System.lineSeparator());
            });
        }
        if (dryRun) {
            b.append(String.format(Locale.ROOT, "  planned in %.1f s; nothing was written%n", seconds));
        } else {
            b.append(String.format(Locale.ROOT, "  done       %,12d   %s in %.1f s (%.0f items/s, %s/s)%n", done,
                    Bytes.human(bytesDone), seconds, itemsPerSecond, Bytes.human((long) bytesPerSecond)));
            if (outcomes != null) {
                outcomes.forEach((outcome, n) -> b.append(String.format(Locale.ROOT, "    %-8s %,12d%n", outcome, n)));
            }
            b.append(String.format(Locale.ROOT, "  failed     %,12d%n", failed));
        }
        b.append(String.format(Locale.ROOT, "  rejected   %,12d%s%n", rejected,
                rejectsFile == null ? "" : "   see " + rejectsFile));
        if (steps != null) {
            steps.forEach(step -> b.append("  ").append(step).append(System.lineSeparator()));
        }
        if (fatalError != null) {
            b.append("  STOPPED: ").append(fatalError).append(System.lineSeparator());
        }
        b.append("  exit code ").append(exitCode).append(System.lineSeparator());
        return b.toString();
    }

    public void writeTo(Path folder) {
        try {
            Files.createDirectories(folder);
            Files.writeString(folder.resolve("report.json"), toJson(), StandardCharsets.UTF_8);
            Files.writeString(folder.resolve("report.txt"), toText(), StandardCharsets.UTF_8);
            Files.writeString(folder.resolve(HtmlReport.FILE), HtmlReport.of(this), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report to " + folder, e);
        }
    }
}
