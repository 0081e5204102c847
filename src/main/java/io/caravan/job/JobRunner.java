package io.caravan.job;

import io.caravan.item.JobFatalException;
import io.caravan.ledger.LedgerDatabase;
import io.caravan.pipeline.ErrorHandling;
import io.caravan.pipeline.Jobs;
import io.caravan.pipeline.PipelineRoutes;
import io.caravan.report.ProgressReporter;
import io.caravan.report.RunReport;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Properties;

/** Runs one job once: boots Camel with the job's route file, triggers it, waits, reports. */
public final class JobRunner {

    private static final Logger LOG = LoggerFactory.getLogger(JobRunner.class);
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(ZoneOffset.UTC);

    /** Engine defaults that the pipeline's routes refer to; config/application.properties may override them. */
    private static final Map<String, String> ROUTE_DEFAULTS = Map.of(
            "caravan.retries", "5",
            "caravan.retry-delay-ms", "500",
            "camel.main.name", "caravan");

    private final Workspace workspace;
    private final PrintStream out;
    private final boolean terminal;

    public JobRunner(Workspace workspace, PrintStream out, boolean terminal) {
        this.workspace = workspace;
        this.out = out;
        this.terminal = terminal;
    }

    public RunReport run(String jobName, Map<String, String> overrides, boolean dryRun) throws Exception {
        JobSettings settings = workspace.settings(jobName, overrides);
        if (!Files.isRegularFile(workspace.routeFile(jobName))) {
            throw new ConfigException("no route file for job '" + jobName + "': " + workspace.routeFile(jobName));
        }
        try (LedgerDatabase database = workspace.openLedger(settings);
             Job job = workspace.openJob(settings, database)) {
            job.source().check();
            job.target().check();
            Instant started = Instant.now();
            String runId = RUN_ID.format(started) + (dryRun ? "-dry" : "");
            JobRun run = new JobRun(runId, dryRun, workspace.dataDir(settings).resolve("runs/" + jobName + "/" + runId));
            job.startRun(run);
            Main camel = camelFor(job, settings);
            camel.start();
            try {
                job.ledger().recordRunStart(runId, jobName, dryRun, run.startedAt());
                try (ProgressReporter progress = new ProgressReporter(run.stats(), System.err, terminal,
                        settings.duration("caravan.progress-interval", Duration.ofSeconds(5)))) {
                    camel.getCamelTemplate().sendBody("direct:" + jobName + ".run", null);
                }
            } finally {
                camel.stop();
                run.rejects().close();
            }
            RunReport report = RunReport.of(job, run, Instant.now());
            report.writeTo(run.folder());
            job.ledger().recordRunEnd(runId, report.finishedAt(), report.exitCode(), report.toJson());
            out.print(report.toText());
            LOG.info("job {} finished with exit code {}; report in {}", jobName, report.exitCode(), run.folder());
            return report;
        } catch (JobFatalException e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private Main camelFor(Job job, JobSettings settings) {
        Jobs jobs = new Jobs();
        jobs.register(job);
        Main main = new Main();
        Properties properties = new Properties();
        properties.putAll(ROUTE_DEFAULTS);
        properties.putAll(settings.asProperties());
        properties.setProperty("job", job.name());
        main.setOverrideProperties(properties);
        main.configure().withRoutesIncludePattern("file:" + workspace.routeFile(job.name()));
        main.configure().addRoutesBuilder(new ErrorHandling(jobs));
        main.configure().addRoutesBuilder(new PipelineRoutes(jobs));
        main.bind(job.name() + ".workers", job.workers());
        main.bind("ledger", job.ledgerRepository());
        return main;
    }
}
