package io.caravan.pipeline;

import io.caravan.job.Job;
import io.caravan.job.JobSettings;
import org.apache.camel.main.Main;

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

    private CaravanCamel() {
    }

    /**
     * @param engine       settings for Camel itself and the shared error handling (application.properties)
     * @param routePattern the Kamelets and the job route files, Kamelets first, e.g.
     *                     {@code file:routes/kamelets/*.kamelet.yaml,file:routes/*.camel.yaml}
     */
    public static Main create(JobSettings engine, Collection<Job> jobs, String routePattern) {
        Jobs registry = new Jobs();
        jobs.forEach(registry::register);
        return create(engine, registry, routePattern, jobs.size() == 1 ? jobs.iterator().next().name() : null);
    }

    /**
     * @param ledgerJob the job whose ledger is the bean {@code ledger} (for YAML routes' idempotent consumers), or
     *                  null when Camel runs several jobs
     */
    public static Main create(JobSettings engine, Jobs registry, String routePattern, String ledgerJob) {
        Main main = new Main();
        Properties properties = new Properties();
        properties.putAll(ROUTE_DEFAULTS);
        properties.putAll(engine.asProperties());
        main.setOverrideProperties(properties);
        if (!routePattern.isEmpty()) {
            main.configure().withRoutesIncludePattern(routePattern);
        }
        main.configure().addRoutesBuilder(new ErrorHandling(registry));
        main.bind("caravanJobs", registry);
        PipelineStages.bind(main, registry, ledgerJob);
        return main;
    }
}
