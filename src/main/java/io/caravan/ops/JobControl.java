package io.caravan.ops;

import io.caravan.item.JobFatalException;
import io.caravan.job.Job;
import io.caravan.job.JobExecution;
import io.caravan.job.JobRun;
import io.caravan.job.JobStats;
import io.caravan.ledger.RunLock;
import io.caravan.pipeline.HandOff;
import io.caravan.plan.Decision;
import io.caravan.report.ProgressReporter;
import io.caravan.report.RunReport;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/** The JMX face of one job in the long-lived process: runs it on its own thread and reports on it. */
public final class JobControl extends StatsAttributes implements JobControlMBean {

    private static final Logger LOG = LoggerFactory.getLogger(JobControl.class);

    private final String name;
    private final Supplier<Job> job;
    private final Path dataDir;
    private final Supplier<CamelContext> camel;
    private ProducerTemplate template;
    private final Supplier<String> routeFileError;
    private final Runnable afterRun;
    private final ExecutorService runner;
    private final Object routesLock;
    private volatile Future<?> current;
    private volatile RunLock currentLock;
    private volatile String lastReport = "";
    /** The run started last: the current one, or the last one once it has finished, whatever reloads came since. */
    private volatile JobRun lastRun;
    private volatile int lastExitCode = -1;

    /**
     * @param job        the job as it is now: its settings may be reloaded between runs
     * @param routesLock held while the job's routes are rebuilt; a run starts only between two rebuilds
     */
    public JobControl(String name, Supplier<Job> job, Path dataDir, Supplier<CamelContext> camel,
                      Supplier<String> routeFileError, Runnable afterRun, Object routesLock) {
        this.routesLock = routesLock;
        this.afterRun = afterRun;
        this.name = name;
        this.job = job;
        this.dataDir = dataDir;
        this.camel = camel;
        this.routeFileError = routeFileError;
        this.runner = Executors.newSingleThreadExecutor(r -> new Thread(r, name + "-run"));
    }

    @Override
    public String run() {
        return start(false);
    }

    @Override
    public String dryRun() {
        return start(true);
    }

    /** For a schedule: starts a run unless one is going. */
    public void runIfIdle() {
        try {
            start(false);
        } catch (RuntimeException e) {
            LOG.warn("scheduled run of {} not started: {}", name, e.getMessage());
        }
    }

    private synchronized String start(boolean dryRun) {
        if (!isRunning()) { // network calls: before the lock, which every reload and every job's start take
            this.job.get().source().check();
            this.job.get().target().check();
        }
        // a reload checks whether the job runs before it takes the job's routes down: it must not start in between
        synchronized (routesLock) {
            return startNow(dryRun);
        }
    }

    private String startNow(boolean dryRun) {
        Job job = this.job.get();
        if (isRunning()) {
            throw new IllegalStateException("job " + name + " is already running (run " + job.run().id()
                    + "); stop it or wait for it to finish");
        }
        if (camel.get() == null || camel.get().getRoute(name + ".plan") == null) {
            throw new IllegalStateException("job " + name + " has no routes: routes/" + name
                    + ".camel.yaml (or .java) is missing or broken");
        }
        JobExecution execution = new JobExecution(job, dataDir);
        if (template == null) {
            template = camel.get().createProducerTemplate();
        }
        RunLock lock;
        try {
            lock = job.ledger().lockRun(job.scope(), dryRun);
        } catch (JobFatalException e) {
            throw new IllegalStateException(e.getMessage());
        }
        JobRun run;
        try {
            run = execution.prepare(dryRun);
        } catch (RuntimeException e) {
            lock.close();
            throw e;
        }
        lock.onLost(run::abort);
        lastRun = run;
        currentLock = lock;
        try {
            current = submit(execution, run, lock);
        } catch (RuntimeException e) { // the executor was shut down (a reload), say: the lock must not stay held
            lock.close();
            throw e;
        }
        LOG.info("job {} started run {}{}", name, run.id(), dryRun ? " (dry run)" : "");
        return run.id();
    }

    private Future<?> submit(JobExecution execution, JobRun run, RunLock lock) {
        return runner.submit(() -> {
            try {
                RunReport report = execution.execute(run, template, new PrintStream(OutputStream.nullOutputStream()), false);
                lastReport = report.toText();
                lastExitCode = report.exitCode();
            } catch (RuntimeException e) {
                LOG.error("job {} run {} failed", name, run.id(), e);
                run.abort(e.getMessage());
            } finally {
                lock.close();
                current = null;
                afterRun.run();
            }
        });
    }

    public boolean isRunning() {
        Future<?> f = current;
        return f != null && !f.isDone();
    }

    @Override
    public String pause() {
        requireRunning().pause();
        return "paused " + name;
    }

    @Override
    public String resume() {
        requireRunning().resume();
        return "resumed " + name;
    }

    @Override
    public String stop() {
        requireRunning().abort("stopped by an operator");
        return "stopping " + name + ": in-flight items finish, nothing else starts";
    }

    /** Stops the run, if any, for a shutdown of the process. */
    public void stopForShutdown() {
        JobRun run = job.get().run();
        if (isRunning() && run != null) {
            run.abort("the process is shutting down");
            run.resume();
        }
    }

    public void close() {
        if (!runner.shutdownNow().isEmpty() && currentLock != null) {
            currentLock.close(); // its run was drained before it began, so nothing else lets the lock go
        }
    }

    private JobRun requireRunning() {
        if (!isRunning()) {
            throw new IllegalStateException("job " + name + " is not running");
        }
        return job.get().run();
    }

    @Override
    public String getState() {
        if (!isRunning()) {
            return "IDLE";
        }
        JobRun run = job.get().run();
        return run.isAborted() ? "STOPPING" : run.isPaused() ? "PAUSED" : "RUNNING";
    }

    @Override
    public String getRunId() {
        JobRun run = lastRun;
        return run == null ? "" : run.id();
    }

    @Override
    public String getInstance() {
        return HandOff.instance(job.get().settings());
    }

    /**
     * The current run's counts on this instance, or the last run's once it has finished: a reload of the job's files
     * (a new job, with no run yet) does not blank them.
     */
    @Override
    JobStats stats() {
        JobRun run = lastRun;
        return run == null ? new JobStats() : run.stats();
    }

    @Override
    public long getListed() {
        return stats().listed();
    }

    @Override
    public long getPlanned() {
        return stats().toTransfer();
    }

    @Override
    public long getSkipped() {
        return stats().planned(Decision.UNCHANGED);
    }

    @Override
    public String getEta() {
        long eta = stats().etaSeconds();
        return eta < 0 ? "" : ProgressReporter.clock(eta);
    }

    @Override
    public String getLastError() {
        String fileError = routeFileError.get();
        if (fileError != null) {
            return fileError;
        }
        JobRun run = lastRun;
        String error = run == null ? null : run.lastError();
        return error == null ? "" : error;
    }

    @Override
    public String getLastReport() {
        return lastReport;
    }

    @Override
    public int getLastExitCode() {
        return lastExitCode;
    }
}
