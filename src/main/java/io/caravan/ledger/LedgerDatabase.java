package io.caravan.ledger;

import java.time.Duration;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;

/**
 * The ledger's connection pool, with its schema brought up to date by Flyway.
 * H2 in a file under the data folder unless a JDBC URL (PostgreSQL) is configured.
 */
public final class LedgerDatabase implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerDatabase.class);

    /** The newest migration under db/ledger (LedgerTest keeps the two in step). */
    static final String SCHEMA_VERSION = "3";
    private static final String HISTORY = "caravan_schema_history";

    /** Below this share of live data in its file, an embedded ledger is compacted whole when it closes. */
    static final int COMPACT_BELOW_FILL_PERCENT = 50;

    /** How long a run waits for a ledger that went away before it stops ({@code caravan.ledger.outage-wait}). */
    public static final Duration DEFAULT_OUTAGE_WAIT = Duration.ofSeconds(60);

    private final HikariDataSource dataSource;
    private final LedgerOutage outage;

    private LedgerDatabase(HikariDataSource dataSource, Duration outageWait) {
        this.dataSource = dataSource;
        this.outage = new LedgerOutage(outageWait);
    }

    public static LedgerDatabase open(String jdbcUrl, String user, String password, int poolSize) {
        return open(jdbcUrl, user, password, poolSize, DEFAULT_OUTAGE_WAIT);
    }

    public static LedgerDatabase open(String jdbcUrl, String user, String password, int poolSize,
                                      Duration outageWait) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(durable(jdbcUrl));
        if (user != null) {
            config.setUsername(user);
        }
        if (password != null) {
            config.setPassword(password);
        }
        config.setMaximumPoolSize(poolSize);
        config.setPoolName("caravan-ledger");
        config.setInitializationFailTimeout(10_000);
        config.setConnectionTimeout(5_000); // a health check must not hang on a database that went away
        HikariDataSource ds = new HikariDataSource(config);
        try {
            if (!isCurrent(ds)) {
                Flyway.configure().dataSource(ds).locations("classpath:db/ledger")
                        .table(HISTORY).load().migrate();
            }
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new LedgerDatabase(ds, outageWait);
    }

    /**
     * Whether Flyway's history says the schema is at {@link #SCHEMA_VERSION} with no failed migration: then Flyway,
     * whose start (scanning the class path for migrations, validating them) took a tenth of an unchanged rerun, is
     * not needed. Anything else, a new ledger included, goes through Flyway.
     */
    private static boolean isCurrent(DataSource ds) {
        try (Connection c = ds.getConnection(); Statement statement = c.createStatement();
             ResultSet rs = statement.executeQuery("SELECT \"version\", \"success\" FROM \"" + HISTORY
                     + "\" ORDER BY \"installed_rank\" DESC")) {
            if (!rs.next() || !SCHEMA_VERSION.equals(rs.getString(1))) {
                return false;
            }
            do {
                if (!rs.getBoolean(2)) {
                    return false;
                }
            } while (rs.next());
            return true;
        } catch (SQLException e) {
            return false; // no history table yet
        }
    }

    /**
     * An H2 file given as {@code caravan.ledger.url} commits to its file at once too, unless the URL says otherwise:
     * with H2's default write delay, a commit the run counted could be lost with the disk or the process.
     */
    static String durable(String jdbcUrl) {
        return jdbcUrl.startsWith("jdbc:h2:file:") && !jdbcUrl.toUpperCase(java.util.Locale.ROOT).contains("WRITE_DELAY")
                ? jdbcUrl + ";WRITE_DELAY=0" : jdbcUrl;
    }

    public static String embeddedUrl(Path dataDir) {
        // WRITE_DELAY=0: each commit reaches the file at once, so a killed run loses no recorded item.
        // MAX_COMPACT_TIME=0: H2 would otherwise spend up to 200 ms compacting at every close, a tenth of an unchanged
        // rerun; close() compacts the whole file instead when half of it is dead (see compactIfHalfDead).
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("ledger")
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;MAX_COMPACT_TIME=0";
    }

    public static boolean embeddedFileExists(Path dataDir) {
        return Files.exists(dataDir.resolve("ledger.mv.db"));
    }

    LedgerOutage outage() {
        return outage;
    }

    public DataSource dataSource() {
        return dataSource;
    }

    /**
     * A connection outside the pool, for a session that holds state of its own (a lock), with TCP keep-alive and a
     * socket timeout; named for {@code pg_stat_activity}.
     */
    Connection connectionOfItsOwn(String applicationName) throws SQLException {
        Properties properties = new Properties();
        if (dataSource.getUsername() != null) {
            properties.setProperty("user", dataSource.getUsername());
        }
        if (dataSource.getPassword() != null) {
            properties.setProperty("password", dataSource.getPassword());
        }
        properties.setProperty("tcpKeepAlive", "true");
        properties.setProperty("socketTimeout", "30"); // a query that hangs on a dead network gives up
        properties.setProperty("ApplicationName", applicationName);
        return DriverManager.getConnection(dataSource.getJdbcUrl(), properties);
    }

    public boolean isPostgres() {
        return dataSource.getJdbcUrl().startsWith("jdbc:postgresql:");
    }

    @Override
    public void close() {
        if (isEmbeddedH2()) {
            compactIfHalfDead();
        }
        dataSource.close();
    }

    /** An H2 file opened in this process, not through a server that other processes may share. */
    private boolean isEmbeddedH2() {
        String url = dataSource.getJdbcUrl();
        return url.startsWith("jdbc:h2:file:") && !url.toUpperCase(Locale.ROOT).contains("AUTO_SERVER=TRUE");
    }

    /**
     * H2 writes every change to a new place in its file (copy on write), so a ledger whose rows are rewritten run
     * after run grows until it is compacted. A full compaction when less than half of the file is live keeps it
     * within twice its data, and costs a close only now and then. It shuts the database down, so it is left out
     * while another pool in this JVM (a test's, say) has it open. A failure here loses nothing: the file is only
     * left larger.
     */
    private void compactIfHalfDead() {
        boolean shutDown = false;
        try (Connection c = dataSource.getConnection(); Statement statement = c.createStatement()) {
            int fill = Integer.parseInt(value(statement, "SELECT SETTING_VALUE FROM INFORMATION_SCHEMA.SETTINGS"
                    + " WHERE SETTING_NAME = 'info.CHUNKS_FILL_RATE'").trim());
            int sessions = Integer.parseInt(value(statement, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.SESSIONS"));
            int ours = dataSource.getHikariPoolMXBean().getTotalConnections();
            if (fill >= COMPACT_BELOW_FILL_PERCENT || sessions > ours) {
                return;
            }
            LOG.info("compacting the ledger ({}% of its file is live)", fill);
            statement.execute("SHUTDOWN COMPACT");
            shutDown = true;
        } catch (SQLException | NumberFormatException e) {
            if (!shutDown) { // once it is shut down, the pool's own clean-up of the connection fails: no matter
                LOG.warn("the ledger was not compacted: {}", e.getMessage());
            }
        }
    }

    private static String value(Statement statement, String query) throws SQLException {
        try (ResultSet rs = statement.executeQuery(query)) {
            if (!rs.next()) {
                throw new SQLException("no answer to " + query);
            }
            return rs.getString(1);
        }
    }
}
