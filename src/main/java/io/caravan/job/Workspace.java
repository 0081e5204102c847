package io.caravan.job;

import io.caravan.ledger.Ledger;
import io.caravan.ledger.LedgerDatabase;
import io.caravan.pipeline.HandOff;

import java.nio.file.Path;
import java.util.Map;

/**
 * Caravan's home folder: {@code config/}, {@code routes/} and the data folder (ledger, reports, rejects).
 * Opens a job's settings and the ledger they point at.
 */
public record Workspace(Path home) {

    public Workspace {
        home = home.toAbsolutePath().normalize();
    }

    public JobSettings settings(String job, Map<String, String> overrides) {
        return JobSettings.load(home, job, overrides);
    }

    /**
     * The job's route file, {@code routes/<job>.camel.yaml} or {@code routes/<job>.java}.
     *
     * @throws ConfigException when the job has both
     */
    public Path routeFile(String job) {
        return RouteFiles.of(home.resolve("routes"), job);
    }

    /** The Kamelets every job's routes are built from, and any of the operator's own. */
    public Path kameletsDir() {
        return home.resolve("routes/kamelets");
    }

    /** Camel's routes-include pattern for the Kamelets, to load before any job's route file. */
    public String kameletPattern() {
        return "file:" + kameletsDir() + "/*.kamelet.yaml";
    }

    public Path dataDir(JobSettings settings) {
        return home.resolve(settings.string("caravan.data-dir", "data"));
    }

    /** Whether the job's ledger may hold runs already: one is configured, or the embedded one's file exists. */
    public boolean hasLedger(JobSettings settings) {
        return !settings.string("caravan.ledger.url", "").isEmpty()
                || LedgerDatabase.embeddedFileExists(dataDir(settings));
    }

    /** The ledger named by {@code caravan.ledger.url}, or the embedded H2 file under the data folder. */
    public LedgerDatabase openLedger(JobSettings settings) {
        String url = settings.string("caravan.ledger.url", "");
        if (url.isEmpty()) {
            url = LedgerDatabase.embeddedUrl(dataDir(settings));
        }
        try {
            return LedgerDatabase.open(url, settings.string("caravan.ledger.user", null),
                    settings.string("caravan.ledger.password", null), settings.integer("caravan.workers", 16) + 2,
                    settings.duration("caravan.ledger.outage-wait", LedgerDatabase.DEFAULT_OUTAGE_WAIT));
        } catch (RuntimeException e) {
            throw new ConfigException("cannot open the ledger at " + JdbcUrls.withoutPassword(url)
                    + ": " + rootMessage(e));
        }
    }

    /**
     * @throws ConfigException when the job hands its items to a broker queue and its ledger is the embedded H2 file:
     *                         the instances that share the work must share the ledger
     */
    public Job openJob(JobSettings settings, LedgerDatabase database) {
        HandOff handOff = HandOff.of(settings);
        if (handOff.isBroker() && !database.isPostgres()) {
            throw new ConfigException("job '" + settings.job() + "': " + HandOff.SETTING + " = " + handOff.uri()
                    + " shares the work between instances, which must share a PostgreSQL ledger"
                    + " (caravan.ledger.url); the embedded H2 ledger is one file on one machine");
        }
        return JobFactory.create(home, settings, new Ledger(database));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}
