package io.caravan.ledger;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import org.flywaydb.core.Flyway;

import javax.sql.DataSource;
import java.nio.file.Path;

/**
 * The ledger's connection pool, with its schema brought up to date by Flyway.
 * H2 in a file under the data folder unless a JDBC URL (PostgreSQL) is configured.
 */
public final class LedgerDatabase implements AutoCloseable {

    private final HikariDataSource dataSource;

    private LedgerDatabase(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    public static LedgerDatabase open(String jdbcUrl, String user, String password, int poolSize) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
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
            Flyway.configure().dataSource(ds).locations("classpath:db/ledger")
                    .table("caravan_schema_history").load().migrate();
        } catch (RuntimeException e) {
            ds.close();
            throw e;
        }
        return new LedgerDatabase(ds);
    }

    public static String embeddedUrl(Path dataDir) {
        // WRITE_DELAY=0: each commit reaches the file at once, so a killed run loses no recorded item
        return "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("ledger") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
    }

    public DataSource dataSource() {
        return dataSource;
    }

    public boolean isPostgres() {
        return dataSource.getJdbcUrl().startsWith("jdbc:postgresql:");
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
