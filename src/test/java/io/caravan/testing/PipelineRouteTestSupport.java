package io.caravan.testing;

import io.caravan.job.Job;
import io.caravan.job.JobExecution;
import io.caravan.job.JobSettings;
import io.caravan.job.Workspace;
import io.caravan.ledger.LedgerDatabase;
import io.caravan.ledger.LedgerEntry;
import io.caravan.report.RunReport;
import io.caravan.pipeline.ErrorHandling;
import io.caravan.pipeline.HandOffFunctions;
import io.caravan.pipeline.Jobs;
import io.caravan.pipeline.PipelineStages;
import org.apache.camel.main.MainConfigurationProperties;
import org.apache.camel.spi.Registry;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.junit5.TestExecutionConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * One job's routes in a Camel Main, as {@code caravan run} builds them: the shipped Kamelets, the job's YAML route
 * file ({@code caravan-plan} as {@code <job>.plan}, {@code caravan-transfer} as {@code <job>.transfer}), the shared
 * error handling and the stage beans, on a job opened in a home of the test's own. Camel starts only after the test
 * has advised the routes ({@code AdviceWith}), then {@code context.start()}.
 */
public abstract class PipelineRouteTestSupport extends CamelMainTestSupport {

    protected static final String JOB = "routed";

    @TempDir
    protected Path dir;
    private TestHome home;
    private LedgerDatabase database;
    private Job job;

    /** The job's settings (source and target); the folders under {@link #dir} are the test's. */
    protected abstract Map<String, String> settings();

    @Override
    public void configureTest(TestExecutionConfiguration configuration) {
        super.configureTest(configuration);
        configuration.withUseAdviceWith(true);
    }

    @Override
    public void configureContext(CamelContextConfiguration configuration) {
        super.configureContext(configuration);
        Properties properties = new Properties();
        properties.put("caravan.retries", "1");
        properties.put("caravan.retry-delay-ms", "10");
        configuration.withUseOverridePropertiesWithPropertiesComponent(properties);
    }

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        Path routes = home().path().resolve("routes");
        configuration.withRoutesIncludePattern("file:" + routes + "/kamelets/*.kamelet.yaml,file:" + routes + "/"
                + JOB + ".camel.yaml");
        Jobs jobs = new Jobs();
        jobs.register(job());
        configuration.addRoutesBuilder(new ErrorHandling(jobs));
    }

    @Override
    protected void bindToRegistry(Registry registry) {
        Jobs jobs = new Jobs();
        jobs.register(job());
        PipelineStages.stages(jobs).forEach(registry::bind);
        HandOffFunctions.register(context(), jobs);
        registry.bind(JOB + ".workers", job().workers());
    }

    private TestHome home() {
        if (home == null) {
            home = new TestHome(dir.resolve("home")).job(JOB, settings()).route(JOB);
        }
        return home;
    }

    protected Job job() {
        if (job == null) {
            Workspace workspace = new Workspace(home().path());
            JobSettings settings = workspace.settings(JOB, Map.of());
            database = workspace.openLedger(settings);
            job = workspace.openJob(settings, database);
        }
        return job;
    }

    /** One run of the job through the started routes, as {@code caravan run} makes it. */
    protected RunReport run(boolean dryRun) {
        JobExecution execution = new JobExecution(job(), home().data());
        return execution.execute(execution.prepare(dryRun), template, System.err, false);
    }

    protected LedgerEntry ledgerRow(String key) {
        return job().ledger().find(job().scope(), key).orElseThrow(() -> new AssertionError("no ledger row: " + key));
    }

    protected Path data() {
        return home().data();
    }

    /** The folder a test's job reads. */
    protected Path source() {
        return dir.resolve("source");
    }

    /** The folder a test's job writes. */
    protected Path target() {
        return dir.resolve("target");
    }

    /** A folder → folder job between {@link #source()} and {@link #target()}. */
    protected Map<String, String> folderToFolder() {
        return Map.of("source.type", "folder", "source.root", source().toString(),
                "target.type", "folder", "target.root", target().toString());
    }

    @AfterEach
    void closeJob() {
        if (job != null) {
            job.close();
        }
        if (database != null) {
            database.close();
        }
    }
}
