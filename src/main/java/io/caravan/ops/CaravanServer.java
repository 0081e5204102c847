package io.caravan.ops;

import io.caravan.job.ConfigException;
import io.caravan.job.Job;
import io.caravan.job.JobFactory;
import io.caravan.job.JobSettings;
import io.caravan.job.RouteFiles;
import io.caravan.job.Workspace;
import io.caravan.ledger.Ledger;
import io.caravan.ledger.LedgerDatabase;
import io.caravan.ops.http.ControlAccess;
import io.caravan.pipeline.CaravanCamel;
import io.caravan.pipeline.HandOff;
import io.caravan.pipeline.Jobs;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.health.HealthCheckRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
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
    /** The route files Camel's start-up loads (YAML), and those serve loads itself once Camel is configured (Java). */
    private final List<Path> startupFiles = new ArrayList<>();
    private final List<Path> startupJavaFiles = new ArrayList<>();
    private Main main;
    private Ledger ledger;
    private volatile RouteFileReloader reloader;
    /** The reloader rebuilds routes holding it, and a run starts holding it: never one in the middle of the other. */
    private final Object routesLock = new Object();
    private Jobs jobs;
    private final Map<String, String> settingsErrors = new ConcurrentHashMap<>();
    private final java.util.Set<String> settingsPending = ConcurrentHashMap.newKeySet();

    public CaravanServer(Workspace workspace, Map<String, String> overrides) {
        this.workspace = workspace;
        this.overrides = overrides;
    }

    public int serve() throws Exception {
        JobSettings engine = JobSettings.engine(workspace.home(), overrides);
        int httpPort = engine.integer("caravan.http.port", 8087);
        String httpHost = ObserveHttp.host(engine);
        ControlAccess access = httpPort > 0 ? ControlAccess.requiredFor(workspace.home(), engine, httpHost) : null;
        try (LedgerDatabase database = workspace.openLedger(engine);
             RemoteJmx remote = RemoteJmx.startIfConfigured(workspace.home(), engine, mbeans)) {
            ledger = new Ledger(database);
            jobs = new Jobs(this::open, job -> { });
            Path routes = workspace.home().resolve("routes");
            Files.createDirectories(workspace.kameletsDir());
            main = CaravanCamel.forServe(engine, jobs, loadableRouteFiles(routes, jobs));
            if (httpPort > 0) {
                ObserveHttp.expose(main, httpHost, httpPort, access);
            }
            // one file at a time: a job's route file edit never disturbs another job that is mid-run, a Kamelet
            // edit rebuilds every job that is not mid-run, and new settings (rotated credentials) apply before a
            // job's next run
            HomeWatcher watcher = new HomeWatcher(routes, workspace.kameletsDir(), workspace.home().resolve("config"),
                    file -> reloader.changed(file), this::settingsChanged);
            main.addMainListener(new MainListenerSupport() {
                @Override
                public void afterConfigure(BaseMainSupport support) {
                    reloader = new RouteFileReloader(support.getCamelContext(), routes,
                            job -> controls.containsKey(job) && controls.get(job).isRunning(),
                            job -> expose(jobs.obtain(job)), routesLock);
                    startupFiles.forEach(f -> {
                        try {
                            reloader.loadedAtStart(f);
                        } catch (IOException e) {
                            LOG.warn("cannot read {}: {}", f, e.getMessage());
                        }
                    });
                    startupJavaFiles.forEach(reloader::loadAtStart);
                    try (Stream<Path> kamelets = Files.list(workspace.kameletsDir())) {
                        for (Path f : kamelets.filter(f -> f.toString().endsWith(RouteFileReloader.KAMELET_SUFFIX))
                                .toList()) {
                            reloader.kameletLoadedAtStart(f);
                        }
                    } catch (IOException e) {
                        LOG.warn("cannot read the Kamelets in {}: {}", workspace.kameletsDir(), e.getMessage());
                    }
                }

                @Override
                public void afterStart(BaseMainSupport support) {
                    HealthCheckRegistry health = HealthCheckRegistry.get(support.getCamelContext());
                    if (health != null) {
                        health.register(new LedgerHealthCheck(ledger));
                    }
                    jobs.all().forEach(CaravanServer.this::expose);
                    watcher.start();
                    LOG.info("serving {} job(s) from {}{}", controls.size(), routes,
                            remote == null ? "" : "; remote JMX at " + remote.url());
                }

                @Override
                public void beforeStop(BaseMainSupport support) {
                    watcher.close();
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

    /**
     * The Kamelets and the YAML route files whose job opens (settings present and valid, one route file): one broken
     * job must not keep the others from serving. It is logged; fixing its settings and touching its route file
     * brings it in. The Java DSL route files of the jobs that open are kept for loading once Camel is configured.
     */
    private String loadableRouteFiles(Path routes, Jobs jobs) throws IOException {
        List<String> files = new ArrayList<>();
        files.add(workspace.kameletPattern());
        List<String> names;
        try (Stream<Path> all = Files.list(routes)) {
            names = all.filter(RouteFiles::isRouteFile).map(RouteFiles::jobOf).distinct().sorted().toList();
        }
        for (String job : names) {
            try {
                Path file = workspace.routeFile(job);
                jobs.obtain(job);
                if (RouteFiles.isJava(file)) {
                    startupJavaFiles.add(file);
                } else {
                    files.add("file:" + file);
                    startupFiles.add(file);
                }
            } catch (RuntimeException e) {
                LOG.error("job {} is not served: {}", job, e.getMessage());
            }
        }
        return String.join(",", files);
    }

    private Job open(String name) {
        JobSettings settings = workspace.settings(name, overrides);
        if (settings.flag(HandOff.WORKER, false)) {
            throw new ConfigException("job '" + name + "': caravan serve plans and publishes a job's items, it does"
                    + " not consume its queue (" + HandOff.WORKER + " = true): run 'caravan work " + name + "' on each"
                    + " worker");
        }
        return JobFactory.create(workspace.home(), settings, ledger);
    }

    /** Gives a job whose routes are loaded its MBean, once. */
    private synchronized void expose(Job job) {
        if (controls.containsKey(job.name())) {
            return;
        }
        String jobName = job.name();
        JobControl control = new JobControl(jobName, () -> jobs.obtain(jobName), workspace.dataDir(job.settings()),
                () -> main.getCamelContext(), () -> errorOf(jobName), () -> runEnded(jobName), routesLock);
        try {
            ObjectName name = objectName(job.name());
            if (mbeans.isRegistered(name)) {
                mbeans.unregisterMBean(name);
            }
            mbeans.registerMBean(control, name);
            controls.put(job.name(), control);
            MeterRegistry meters = main.getCamelContext().getRegistry().findSingleByType(MeterRegistry.class);
            if (meters != null) {
                JobMetrics.register(meters, jobName, HandOff.instance(job.settings()), control::stats,
                        control::isRunning);
            }
            schedule(job, control);
            LOG.info("job {} is available as {}", job.name(), name);
        } catch (JMException e) {
            throw new ConfigException("cannot register the MBean of job " + job.name() + ": " + e.getMessage());
        }
    }

    /** {@code caravan.schedule}, a Quartz cron expression ("0 0 2 * * ?": every night at two), runs the job. */
    private void schedule(Job job, JobControl control) {
        CamelContext camel = main.getCamelContext();
        String routeId = job.name() + ".schedule";
        try {
            if (camel.getRoute(routeId) != null) {
                camel.getRouteController().stopRoute(routeId);
                camel.removeRoute(routeId);
            }
            String cron = job.settings().string("caravan.schedule", "");
            if (cron.isEmpty()) {
                return;
            }
            camel.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("quartz:caravan/" + job.name() + "?cron=" + cron.trim().replace(' ', '+'))
                            .routeId(routeId).process(exchange -> control.runIfIdle());
                }
            });
            LOG.info("job {} runs on schedule '{}'", job.name(), cron);
        } catch (Exception e) {
            settingsErrors.put(job.name(), "caravan.schedule: " + e.getMessage());
            LOG.error("job {}: cannot schedule it: {}", job.name(), e.getMessage());
        }
    }

    private String errorOf(String job) {
        String settings = settingsErrors.get(job);
        return settings != null ? settings : reloader == null ? null : reloader.errorOf(job);
    }

    private void runEnded(String job) {
        if (settingsPending.remove(job)) {
            reopen(job);
        }
        reloader.runEnded(job);
    }

    private void settingsChanged(Path file) {
        Path jobsDir = workspace.home().resolve("config/jobs");
        List<String> affected = file.startsWith(jobsDir)
                ? List.of(file.getFileName().toString().replaceFirst("\\.properties$", ""))
                : List.copyOf(controls.keySet()); // secrets or defaults: every job
        for (String job : affected) {
            JobControl control = controls.get(job);
            if (control == null) {
                continue;
            }
            if (control.isRunning()) {
                LOG.info("job {} is running: its new settings apply when the run ends", job);
                settingsPending.add(job);
            } else {
                reopen(job);
            }
        }
    }

    /** Opens the job again with its current settings; on a bad setting the previous ones stay. */
    private synchronized void reopen(String name) {
        Job fresh;
        try {
            fresh = open(name);
        } catch (RuntimeException e) {
            settingsErrors.put(name, "settings not applied, the previous ones stay: " + e.getMessage());
            LOG.error("job {}: {}", name, settingsErrors.get(name));
            return;
        }
        settingsErrors.remove(name);
        Job old = jobs.replace(fresh);
        reloader.reloadRoutesOf(name); // binds the new job's worker pool to its routes
        schedule(fresh, controls.get(name));
        if (old != null) {
            old.close();
        }
        LOG.info("job {} settings reloaded", name);
    }

    public static ObjectName objectName(String job) throws JMException {
        return new ObjectName("io.caravan:type=Job,name=" + ObjectName.quote(job));
    }

}
