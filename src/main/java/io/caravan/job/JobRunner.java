package io.caravan.job;

import io.caravan.item.JobFatalException;
import io.caravan.ledger.LedgerDatabase;
import io.caravan.ledger.RunLock;
import io.caravan.pipeline.CaravanCamel;
import io.caravan.pipeline.HandOff;
import io.caravan.pipeline.Jobs;
import io.caravan.report.RunReport;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.main.Main;

import java.io.PrintStream;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/** {@code caravan run}: boots Camel with one job's route file, runs the job once, reports, stops. */
public final class JobRunner {

    private final Workspace workspace;
    private final PrintStream out;
    private final boolean terminal;

    public JobRunner(Workspace workspace, PrintStream out, boolean terminal) {
        this.workspace = workspace;
        this.out = out;
        this.terminal = terminal;
    }

    public RunReport run(String jobName, Map<String, String> overrides, boolean dryRun) throws Exception {
        return run(jobName, overrides, dryRun, List.of()).get(0);
    }

    /**
     * Runs a job; one made of subtasks ({@code subtasks = a, b} in its settings) runs them in order, or only those
     * named in {@code only}.
     *
     * @return the job's report, or one per subtask run
     */
    public List<RunReport> run(String jobName, Map<String, String> overrides, boolean dryRun, List<String> only)
            throws Exception {
        JobSettings settings = workspace.settings(jobName, overrides);
        if (!Files.isRegularFile(workspace.routeFile(jobName))) {
            throw new ConfigException("no route file for job '" + jobName + "': " + workspace.routeFile(jobName));
        }
        if (!settings.list("subtasks").isEmpty()) {
            return runSubtasks(settings, dryRun, only);
        }
        if (!only.isEmpty()) {
            throw new ConfigException("--only selects subtasks, and job '" + jobName + "' has none");
        }
        // Camel starts on a thread of its own while this one opens the ledger and the job, checks them and starts the
        // listing: on 2 cores these were most of an unchanged rerun's time one after the other. The routes' lookups
        // of the job (its worker pool) wait until it is open. A rerun of a job whose last run completed starts Camel
        // only once its listing has an item for the routes: an unchanged rerun does without it.
        CompletableFuture<Job> opened = new CompletableFuture<>();
        Jobs jobs = new Jobs(name -> name.equals(settings.job()) ? opened.join() : null, job -> { });
        CamelStart camel = new CamelStart(settings, jobs);
        if (!workspace.hasLedger(settings)) {
            camel.begin(); // the first run in this home
        }
        try (LedgerDatabase database = workspace.openLedger(settings);
             Job job = workspace.openJob(settings, database);
             RunLock lock = job.ledger().lockRun(job.scope(), dryRun)) {
            opened.complete(job);
            boolean rerun = job.ledger().lastCompleteRunStart(job.scope()).isPresent();
            if (!rerun) {
                camel.begin();
                checkTargetMeanwhile(job, dryRun);
            }
            JobExecution execution = new JobExecution(job, workspace.dataDir(settings));
            JobRun run = execution.prepare(dryRun);
            lock.onLost(run::abort);
            try {
                job.source().check();
                if (!job.target().checksWhenFirstUsed()) {
                    job.target().check();
                }
                execution.startListing(run);
                if (!rerun) {
                    camel.await();
                }
            } catch (Exception e) {
                run.closeListing();
                throw e;
            }
            try {
                JobExecution.Routes routes = rerun ? () -> {
                    checkTargetMeanwhile(job, dryRun); // a rerun's routes start here, when an item needs them
                    return camel.forRun();
                } : camel::forRun;
                RunReport report = execution.execute(run, routes, rerun, System.err, terminal);
                out.print(report.toText());
                return List.of(report);
            } finally {
                camel.stop();
            }
        } catch (JobFatalException e) {
            throw new ConfigException(e.getMessage());
        } finally {
            // when the job did not open, Camel's start fails where it asks for it, instead of waiting for ever; a
            // Camel that started but was never run (the job or its checks failed first) is stopped
            opened.completeExceptionally(new ConfigException("job '" + jobName + "' did not open"));
            camel.stop();
        }
    }

    /**
     * Makes the target's client and checks it (an S3 bucket) on a thread of its own while Camel starts, for a run that
     * will write: the workers waited for it at their first item (a third of a second on 2 cores). A target that
     * checks itself when first used is otherwise left alone, so that an unchanged rerun never connects, and so is one
     * that a dry run or a broker's workers use. A failure here is left to the first item, which tries again and stops
     * the run with the reason. A check still under way when the run ends (an empty listing) does not hold it back:
     * its thread is a daemon.
     */
    private static void checkTargetMeanwhile(Job job, boolean dryRun) {
        if (dryRun || !job.target().checksWhenFirstUsed() || HandOff.of(job.settings()).isBroker()) {
            return;
        }
        Thread check = new Thread(() -> {
            try {
                job.target().check();
            } catch (RuntimeException leftToTheFirstItem) {
                // the first item's write meets the same error and reports it
            }
        }, "caravan-target-check");
        check.setDaemon(true);
        check.start();
    }

    /** Camel's start on a thread of its own, begun when first asked for. */
    private final class CamelStart {
        private final JobSettings settings;
        private final Jobs jobs;
        private CompletableFuture<Main> started;
        private boolean stopped;

        CamelStart(JobSettings settings, Jobs jobs) {
            this.settings = settings;
            this.jobs = jobs;
        }

        synchronized CompletableFuture<Main> begin() {
            if (started == null) {
                started = CompletableFuture.supplyAsync(() -> {
                    try {
                        return startCamel(settings, jobs);
                    } catch (Exception e) {
                        throw new CompletionException(e);
                    }
                }, JobRunner::startThread);
            }
            return started;
        }

        Main await() throws Exception {
            return JobRunner.await(begin());
        }

        /** For a run under way: a start that fails ends the run (exit 2), its report saying why. */
        ProducerTemplate forRun() {
            try {
                return await().getCamelTemplate();
            } catch (Exception e) {
                throw new JobFatalException("cannot start the job's routes: " + e.getMessage(), e);
            }
        }

        /** Stops Camel, if it was begun: at once when it is started, else when its start ends. Once is enough. */
        synchronized void stop() {
            if (started == null || stopped) {
                return;
            }
            stopped = true;
            if (started.isDone() && !started.isCompletedExceptionally()) {
                started.join().stop();
            } else {
                started.thenAccept(Main::stop);
            }
        }
    }

    /** Camel's start, which waits for the job, on a named thread: the common pool has one thread on 2 cores. */
    private static void startThread(Runnable task) {
        Thread thread = new Thread(task, "caravan-camel-start");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Each subtask is a job of its own ({@code <job>-<subtask>}, see {@link JobSettings#forSubtask}) whose routes are
     * in the job's route file; all are opened, so that every route can be built, and the selected ones run in order,
     * announced to the job's hooks. A job-fatal error stops the subtasks after it.
     */
    private List<RunReport> runSubtasks(JobSettings settings, boolean dryRun, List<String> only) throws Exception {
        List<String> declared = new ArrayList<>(settings.list("subtasks"));
        declared.addAll(settings.list("subtasks.optional"));
        for (String name : only) {
            if (!declared.contains(name)) {
                throw new ConfigException("--only " + name + ": job '" + settings.job() + "' has no such subtask;"
                        + " it has: " + String.join(", ", declared));
            }
        }
        List<String> selected = only.isEmpty() ? settings.list("subtasks")
                : declared.stream().filter(only::contains).toList();
        List<Job> jobs = new ArrayList<>();
        List<RunLock> locks = new ArrayList<>();
        List<RunReport> reports = new ArrayList<>();
        try (LedgerDatabase database = workspace.openLedger(settings)) {
            try {
                for (String name : declared) {
                    jobs.add(workspace.openJob(settings.forSubtask(name), database));
                }
                jobs.get(0).source().check();
                // every selected subtask's lock before the first runs: one refused stops the job before it begins
                for (String name : selected) {
                    Job job = jobs.get(declared.indexOf(name));
                    locks.add(job.ledger().lockRun(job.scope(), dryRun));
                }
                Main camel = startCamel(settings, jobs);
                try {
                    JobHooks hooks = JobHooks.of(settings, camel.getCamelTemplate());
                    hooks.fire(new JobEvent(JobEvent.Phase.BEFORE_JOB, settings.job(), null, null, 0));
                    int exit = RunReport.EXIT_OK;
                    for (String name : selected) {
                        Job job = jobs.get(declared.indexOf(name));
                        hooks.fire(new JobEvent(JobEvent.Phase.BEFORE_SUBTASK, settings.job(), name, null, exit));
                        JobExecution execution = new JobExecution(job, workspace.dataDir(settings));
                        JobRun run = execution.prepare(dryRun);
                        locks.get(selected.indexOf(name)).onLost(run::abort);
                        RunReport report = execute(execution, run, camel);
                        reports.add(report);
                        exit = Math.max(exit, report.exitCode());
                        hooks.fire(new JobEvent(JobEvent.Phase.AFTER_SUBTASK, settings.job(), name, report, exit));
                        if (report.exitCode() == RunReport.EXIT_CONFIG_OR_FATAL) {
                            break;
                        }
                    }
                    hooks.fire(new JobEvent(JobEvent.Phase.AFTER_JOB, settings.job(), null, null, exit));
                } finally {
                    camel.stop();
                }
            } finally {
                locks.forEach(RunLock::close);
                jobs.forEach(Job::close);
            }
        } catch (JobFatalException e) {
            throw new ConfigException(e.getMessage());
        }
        return reports;
    }

    /** Waits for a start-up task, and throws what it threw as it was thrown. */
    private static <T> T await(CompletableFuture<T> task) throws Exception {
        try {
            return task.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** Camel with the Kamelets and the job's route file, started. */
    private Main startCamel(JobSettings settings, List<Job> jobs) throws Exception {
        return started(CaravanCamel.forRun(settings, jobs, workspace.kameletPattern(),
                workspace.routeFile(settings.job())));
    }

    private Main startCamel(JobSettings settings, Jobs jobs) throws Exception {
        return started(CaravanCamel.forRun(settings, jobs, workspace.kameletPattern(),
                workspace.routeFile(settings.job()), settings.job()));
    }

    private static Main started(Main camel) throws Exception {
        camel.start();
        return camel;
    }

    private RunReport execute(JobExecution execution, JobRun run, Main camel) throws Exception {
        RunReport report = execution.execute(run, camel.getCamelTemplate(), System.err, terminal);
        out.print(report.toText());
        return report;
    }
}
