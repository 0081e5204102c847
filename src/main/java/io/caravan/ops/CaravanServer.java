package io.caravan.ops;

import io.caravan.job.ConfigException;
import io.caravan.job.Job;
import io.caravan.job.JobFactory;
import io.caravan.job.JobSettings;
import io.caravan.job.Workspace;
import io.caravan.ledger.Ledger;
import io.caravan.ledger.LedgerDatabase;
import io.caravan.pipeline.CaravanCamel;
import io.caravan.pipeline.Jobs;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.support.RouteWatcherReloadStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code caravan serve}: every job in {@code routes/} loaded in one Camel, route files hot-reloaded one file at a
 * time (editing one job does not disturb another), a JMX MBean per job, remote JMX when configured. Stays up
 * until SIGTERM, which stops the running jobs cleanly.
 */
public final class CaravanServer {

    private static final Logger LOG = LoggerFactory.getLogger(CaravanServer.class);

    private final Workspace workspace;
    private final Map<String, String> overrides;
    private final Map<String, JobControl> controls = new ConcurrentHashMap<>();
    private final MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
    private Main main;
    private Ledger ledger;

    public CaravanServer(Workspace workspace, Map<String, String> overrides) {
        this.workspace = workspace;
        this.overrides = overrides;
    }

    public int serve() throws Exception {
        JobSettings engine = JobSettings.engine(workspace.home(), overrides);
        try (LedgerDatabase database = workspace.openLedger(engine);
             RemoteJmx remote = RemoteJmx.startIfConfigured(workspace.home(), engine, mbeans)) {
            ledger = new Ledger(database);
            Jobs jobs = new Jobs(this::open, this::expose);
            Path routes = workspace.home().resolve("routes");
            main = CaravanCamel.create(engine, jobs, "file:" + routes + "/*.camel.yaml");
            main.addOverrideProperty("camel.main.routes-reload-enabled", "true");
            main.addOverrideProperty("camel.main.routes-reload-directory", routes.toString());
            main.addOverrideProperty("camel.main.routes-reload-pattern", "*.camel.yaml");
            // Camel reloads every route on any change by default; one file's routes only, so a running job
            // is not disturbed by another job's edit.
            main.addOverrideProperty("camel.main.routes-reload-remove-all-routes", "false");
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void afterStart(BaseMainSupport support) {
                    LOG.info("serving {} job(s) from {}{}", controls.size(), routes,
                            remote == null ? "" : "; remote JMX at " + remote.url());
                }

                @Override
                public void beforeStop(BaseMainSupport support) {
                    LOG.info("shutting down: stopping running jobs; in-flight items finish");
                    controls.values().forEach(JobControl::stopForShutdown);
                }
            });
            main.run();
            controls.values().forEach(JobControl::close);
            jobs.all().forEach(Job::close);
            return 0;
        }
    }

    private Job open(String name) {
        JobSettings settings = workspace.settings(name, overrides);
        return JobFactory.create(workspace.home(), settings, ledger);
    }

    private void expose(Job job) {
        CamelContext camel = main.getCamelContext();
        JobControl control = new JobControl(job, workspace.dataDir(job.settings()), camel,
                () -> routeFileError(camel, job.name()));
        try {
            ObjectName name = objectName(job.name());
            if (mbeans.isRegistered(name)) {
                mbeans.unregisterMBean(name);
            }
            mbeans.registerMBean(control, name);
            controls.put(job.name(), control);
            LOG.info("job {} is available as {}", job.name(), name);
        } catch (JMException e) {
            throw new ConfigException("cannot register the MBean of job " + job.name() + ": " + e.getMessage());
        }
    }

    public static ObjectName objectName(String job) throws JMException {
        return new ObjectName("io.caravan:type=Job,name=" + ObjectName.quote(job));
    }

    /** The reload strategy keeps the last failure; it concerns this job when it names the job's file. */
    private static String routeFileError(CamelContext camel, String job) {
        RouteWatcherReloadStrategy reload = camel.hasService(RouteWatcherReloadStrategy.class);
        if (reload == null || reload.getLastError() == null) {
            return null;
        }
        String message = String.valueOf(reload.getLastError().getMessage());
        return message.contains(job + ".camel.yaml") ? "broken edit of routes/" + job + ".camel.yaml, "
                + "the previous version keeps running: " + message : null;
    }
}
