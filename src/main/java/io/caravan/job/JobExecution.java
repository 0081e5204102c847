package io.caravan.job;

import io.caravan.report.ProgressReporter;
import io.caravan.report.RunReport;
import io.caravan.report.ThroughputSampler;
import io.caravan.item.JobFatalException;
import io.caravan.ledger.Ledger;
import io.caravan.ledger.LedgerException;
import io.caravan.ledger.LedgerStatus;
import io.caravan.pipeline.HandOff;
import io.caravan.plan.Decision;
import io.caravan.pipeline.ListStage;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * One run of a job whose routes are already started: triggers {@code direct:<job>.run}, shows progress,
 * and writes the report to the run's folder and the ledger.
 */
public final class JobExecution {

    private static final Logger LOG = LoggerFactory.getLogger(JobExecution.class);
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Job job;
    private final Path dataDir;

    public JobExecution(Job job, Path dataDir) {
        this.job = job;
        this.dataDir = dataDir;
    }

    /** Creates the run and makes it the job's current one, so it can be watched before it starts moving. */
    public JobRun prepare(boolean dryRun) {
        // sortable by time, and unique even for two jobs started in the same millisecond
        String runId = RUN_ID.format(Instant.now()) + "-" + HexFormat.of().toHexDigits((short) RANDOM.nextInt())
                + (dryRun ? "-dry" : "");
        JobRun run = new JobRun(runId, job.scope(), dryRun, dataDir.resolve("runs/" + job.name() + "/" + runId));
        job.startRun(run);
        return run;
    }

    /**
     * Prepares the source for the run ({@code beforeRun}) and starts its listing on threads of its own, ahead of the
     * run's routes: {@code caravan run} calls this while Camel is still starting, so an unchanged rerun is listed and
     * looked up meanwhile; {@link #execute} calls it when nobody did. A source that cannot be prepared stops the run.
     */
    public void startListing(JobRun run) {
        if (run.isAborted() || run.hasListing()) {
            return;
        }
        try {
            job.source().beforeRun(run);
            run.listingStarted(ListStage.open(job));
        } catch (JobFatalException | LedgerException e) {
            run.abort(e.getMessage());
        }
    }

    /**
     * With a broker hand-off the run has published its items, and the workers transfer and record them: it waits
     * until the ledger holds a row written for this run for every item it published (each worker acknowledges an
     * item only once that row is committed, so a row that is there stays true), counting them into the run's stats
     * as they come, so progress and the report read as for a run that transferred its items itself. With
     * {@code caravan.handoff.wait} set (a duration; {@code 0s}, the default, waits without limit), a wait in which no
     * new outcome comes for that long stops the run (exit 2): no worker is running, or none can reach the broker. The
     * messages stay in the queue for the workers; the same command, run again, publishes what is still not done
     * once more (a worker copies an item once, whichever of its messages it takes first) and waits again. The items
     * the workers rejected or failed go into this run's rejects file, each with the worker that met it.
     */
    private void awaitWorkers(JobRun run) {
        // items the plan meant to transfer, less those that failed on the way to the broker (recorded here)
        long notPublished = run.stats().rejected() + run.stats().failed() - run.stats().planned(Decision.REJECTED);
        long published = run.stats().toTransfer() - notPublished;
        long interval = job.settings().duration("caravan.handoff.poll", Duration.ofMillis(500)).toMillis();
        Duration wait = job.settings().duration("caravan.handoff.wait", Duration.ZERO);
        long lastOutcome = System.nanoTime();
        LOG.info("job {}: {} items published for the workers; waiting for their outcomes", job.name(), published);
        long done = 0;
        long bytes = 0;
        long rejected = 0;
        long failed = 0;
        while (!run.isAborted()) {
            Map<LedgerStatus, Ledger.Outcomes> outcomes = job.ledger().outcomesOfRun(job.scope(), run.id());
            long nowDone = items(outcomes, LedgerStatus.DONE) + items(outcomes, LedgerStatus.UNVERIFIED);
            long nowBytes = bytes(outcomes, LedgerStatus.DONE) + bytes(outcomes, LedgerStatus.UNVERIFIED);
            long nowRejected = items(outcomes, LedgerStatus.REJECTED);
            long nowFailed = items(outcomes, LedgerStatus.FAILED);
            run.stats().addOutcomes(nowDone - done, nowBytes - bytes, nowRejected - rejected, nowFailed - failed);
            if (nowDone + nowRejected + nowFailed > done + rejected + failed) {
                lastOutcome = System.nanoTime();
            }
            done = nowDone;
            bytes = nowBytes;
            rejected = nowRejected;
            failed = nowFailed;
            if (done + rejected + failed >= published) {
                if (rejected + failed > 0) {
                    job.ledger().forEachNotDoneOfRun(job.scope(), run.id(), (entry, worker) ->
                            run.rejects().add(entry.key(), entry.status() == LedgerStatus.REJECTED ? "rejected"
                                    : "failed", "on " + worker, entry.lastError()));
                }
                return;
            }
            if (!wait.isZero() && System.nanoTime() - lastOutcome > wait.toNanos()) {
                run.abort("waiting for workers: " + (done + rejected + failed) + " of " + published
                        + " items recorded, none for " + wait.toSeconds() + "s (caravan.handoff.wait); is a"
                        + " 'caravan work " + job.name() + "' running? The items stay queued; run again to wait"
                        + " for them again");
                return;
            }
            try {
                Thread.sleep(interval);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                run.abort("interrupted while waiting for the workers");
            }
        }
    }

    private static long items(Map<LedgerStatus, Ledger.Outcomes> outcomes, LedgerStatus status) {
        Ledger.Outcomes o = outcomes.get(status);
        return o == null ? 0 : o.items();
    }

    private static long bytes(Map<LedgerStatus, Ledger.Outcomes> outcomes, LedgerStatus status) {
        Ledger.Outcomes o = outcomes.get(status);
        return o == null ? 0 : o.bytes();
    }

    /** The routes a run sends its items through, started by the time they are returned, or a job-fatal error. */
    public interface Routes {
        ProducerTemplate started();
    }

    public RunReport execute(JobRun run, ProducerTemplate camel, PrintStream progressOut, boolean terminal) {
        return execute(run, () -> camel, false, progressOut, terminal);
    }

    /**
     * @param onlyForItems whether the routes are asked for only when the listing has an item for them: an unchanged
     *                     rerun then runs without them (their start is a fifth of its CPU on 2 cores)
     */
    public RunReport execute(JobRun run, Routes routes, boolean onlyForItems, PrintStream progressOut,
                             boolean terminal) {
        job.ledger().recordRunStart(run.id(), job.scope(), run.isDryRun(), run.startedAt());
        Duration interval = job.settings().duration("caravan.progress-interval", Duration.ofSeconds(5));
        try (ProgressReporter progress = new ProgressReporter(run.stats(), progressOut, terminal, interval);
             ThroughputSampler sampler = new ThroughputSampler(run.stats(), run.samples(), interval)) {
            startListing(run);
            if (!run.isAborted()) {
                if (!run.isDryRun()) {
                    job.target().beforeRun(run);
                }
                if (onlyForItems && !run.listingHasItems()) {
                    run.addStep("nothing new, changed or left to do: the job's routes were not started");
                } else {
                    routes.started().sendBody("direct:" + job.name() + ".run", null);
                }
                job.ledger().flush();
                if (!run.isDryRun() && HandOff.of(job.settings()).isBroker()) {
                    awaitWorkers(run);
                }
                if (!run.isDryRun()) {
                    boolean complete = !run.isAborted() && run.stats().rejected() + run.stats().failed() == 0;
                    job.target().afterRun(run, complete);
                    job.source().afterRun(run, complete);
                }
            }
        } catch (JobFatalException | LedgerException e) {
            run.abort(e.getMessage());
        } finally {
            run.closeListing();
            run.rejects().close();
        }
        RunReport report = RunReport.of(job, run, Instant.now());
        report.writeTo(run.folder());
        try {
            job.ledger().recordRunEnd(run.id(), report.finishedAt(), report.exitCode(), report.toJson());
        } catch (LedgerException e) {
            LOG.error("job {}: the run's end is not in the ledger ({}); its report is in {}", job.name(),
                    e.getMessage(), run.folder());
        }
        LOG.info("job {} finished with exit code {}; report in {}", job.name(), report.exitCode(), run.folder());
        return report;
    }
}
