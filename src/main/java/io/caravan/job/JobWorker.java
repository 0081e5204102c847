package io.caravan.job;

import io.caravan.ledger.LedgerDatabase;
import io.caravan.pipeline.CaravanCamel;
import io.caravan.pipeline.HandOff;
import io.caravan.pipeline.WorkIntake;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code caravan work}: one job's transfer half on this instance. It consumes the job's hand-off queue with
 * {@code caravan.workers} consumers ({@link WorkIntake}), and transfers and records each item into the shared ledger,
 * under the run that published it; a broker message is acknowledged once the rows of its items are committed. It
 * runs until stopped (SIGTERM: the items in hand finish first, within {@code camel.main.shutdown-timeout}), or until
 * a job-fatal error, after which it exits 2 and leaves its unacknowledged items to the other workers.
 */
public final class JobWorker {

    private static final Logger LOG = LoggerFactory.getLogger(JobWorker.class);

    private final Workspace workspace;
    private final PrintStream out;
    private final Observation observation;

    /** What the worker shows operators while it works: its MBean and metrics. */
    public interface Observation {
        /** Before Camel starts, so that it can set up what Camel serves (an HTTP port). */
        Observed start(Job job, JobRun run, Main camel) throws Exception;
    }

    /** An observation under way; closed once the worker has stopped. */
    public interface Observed extends AutoCloseable {
        /** Once Camel has started: what needs its registries (metrics). */
        void camelStarted(CamelContext camel);
    }

    public JobWorker(Workspace workspace, PrintStream out, Observation observation) {
        this.workspace = workspace;
        this.out = out;
        this.observation = observation;
    }

    /** @return the exit code: 0 when stopped, 2 on a job-fatal error */
    public int work(String jobName, Map<String, String> overrides) throws Exception {
        Map<String, String> settingsOverrides = new HashMap<>(overrides);
        settingsOverrides.put(HandOff.WORKER, "true");
        JobSettings settings = workspace.settings(jobName, settingsOverrides);
        HandOff handOff = HandOff.of(settings);
        if (!handOff.isBroker()) {
            throw new ConfigException("job '" + jobName + "' hands its items over in one process (" + HandOff.SETTING
                    + " = " + handOff.uri() + "): a worker needs a broker queue, such as jms:queue:caravan.{job}");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stopped.countDown();
            try {
                finished.await(settings.integer("camel.main.shutdown-timeout", 30) + 5L, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "caravan-worker-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try (LedgerDatabase database = workspace.openLedger(settings);
             Job job = workspace.openJob(settings, database)) {
            JobRun run = new JobExecution(job, workspace.dataDir(settings)).prepare(false);
            Main camel = CaravanCamel.forRun(settings, List.of(job), workspace.kameletPattern(),
                    workspace.routeFile(jobName));
            camel.configure().addRoutesBuilder(WorkIntake.of(job));
            Observed observed = observation.start(job, run, camel);
            try {
                camel.start();
                observed.camelStarted(camel.getCamelContext());
                String instance = HandOff.instance(settings);
                out.println("caravan: worker " + instance + " consuming " + handOff.publishUri(jobName) + " for job "
                        + jobName);
                LOG.info("worker {} consuming {} for job {}", instance, handOff.publishUri(jobName), jobName);
                InstanceLimits.of(settings).describe().ifPresent(limits -> {
                    out.println("caravan: " + limits);
                    LOG.info(limits);
                });
                while (!stopped.await(200, TimeUnit.MILLISECONDS) && !run.isAborted()) {
                    // consumers run on Camel's threads
                }
            } finally {
                camel.stop();
                job.ledger().flush();
                run.rejects().close();
                observed.close();
            }
            if (run.isAborted()) {
                out.println("caravan: worker stopped: " + run.fatalError());
                return 2;
            }
            LOG.info("worker for job {} stopped; {} items done, {} rejected, {} failed", jobName,
                    run.stats().done(), run.stats().rejected(), run.stats().failed());
            return 0;
        } finally {
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // shutting down already
            }
        }
    }
}
