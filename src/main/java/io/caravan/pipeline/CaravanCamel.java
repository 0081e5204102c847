package io.caravan.pipeline;

import io.caravan.job.Job;
import io.caravan.job.JobSettings;
import io.caravan.job.RouteFiles;
import org.apache.camel.main.Main;

import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;

/** A Camel Main with the pipeline's stages and error handling, the given jobs, and their route files and Kamelets. */
public final class CaravanCamel {

    /** Engine defaults that the pipeline's routes refer to; config/application.properties may override them. */
    private static final Map<String, String> ROUTE_DEFAULTS = Map.of(
            "caravan.retries", "5",
            "caravan.retry-delay-ms", "500",
            "camel.main.name", "caravan");

    /**
     * Defaults of a command-line run on top of those: no JMX. Camel's MBeans for every route and processor took a
     * sixth of an unchanged rerun's 1.4 s (bench/README.md), and a one-shot run is watched through its progress and
     * report; {@code --set camel.main.jmxEnabled=true} (or application.properties) turns them back on. A resident
     * {@code caravan serve} keeps them.
     */
    private static final Map<String, String> RUN_DEFAULTS = Map.of("camel.main.jmxEnabled", "false");

    private CaravanCamel() {
    }

    /**
     * Camel for {@code caravan run}, with the given jobs.
     *
     * @param engine        settings for Camel itself and the shared error handling (application.properties)
     * @param kameletPattern the Kamelets, as a routes-include pattern ({@code file:routes/kamelets/*.kamelet.yaml})
     * @param routeFile     the job's route file, YAML or Java DSL, loaded after the Kamelets
     */
    public static Main forRun(JobSettings engine, Collection<Job> jobs, String kameletPattern, Path routeFile) {
        Jobs registry = new Jobs();
        jobs.forEach(registry::register);
        return forRun(engine, registry, kameletPattern, routeFile,
                jobs.size() == 1 ? jobs.iterator().next().name() : null);
    }

    /**
     * Camel for {@code caravan run}, with jobs looked up in {@code registry} when routes name them.
     *
     * @param ledgerJob the job whose ledger is the bean {@code ledger} (for YAML routes' idempotent consumers), or
     *                  null when Camel runs several jobs
     */
    public static Main forRun(JobSettings engine, Jobs registry, String kameletPattern, Path routeFile,
                              String ledgerJob) {
        if (!RouteFiles.isJava(routeFile)) {
            return create(engine, registry, kameletPattern + ",file:" + routeFile, ledgerJob, RUN_DEFAULTS);
        }
        Main main = create(engine, registry, kameletPattern, ledgerJob, RUN_DEFAULTS);
        main.addMainListener(new JavaRouteFile(routeFile));
        return main;
    }

    /**
     * Camel for {@code caravan serve}: JMX on, no {@code ledger} bean (it serves several jobs).
     *
     * @param routePattern the Kamelets and the YAML route files, Kamelets first; serve loads Java DSL route files
     *                     itself, once Camel is configured
     */
    public static Main forServe(JobSettings engine, Jobs registry, String routePattern) {
        return create(engine, registry, routePattern, null, Map.of());
    }

    private static Main create(JobSettings engine, Jobs registry, String routePattern, String ledgerJob,
                               Map<String, String> defaults) {
        Main main = new Main();
        Properties properties = new Properties();
        properties.putAll(ROUTE_DEFAULTS);
        properties.putAll(defaults);
        properties.putAll(engine.asProperties());
        main.setOverrideProperties(properties);
        if (!routePattern.isEmpty()) {
            main.configure().withRoutesIncludePattern(routePattern);
        }
        main.configure().addRoutesBuilder(new ErrorHandling(registry));
        main.bind("caravanJobs", registry);
        Brokers.bind(main, engine);
        PipelineStages.bind(main, registry, ledgerJob);
        return main;
    }
}
