package io.caravan.sql;

import io.caravan.testing.LoopbackPostgres;
import io.caravan.testing.PgDump;
import io.caravan.testing.Rejects;
import io.caravan.testing.TestHome;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CKAN 2.10's real schema and rows, scaled up, copied from PostgreSQL into H2 (another database than PostgreSQL):
 * tables created with mapped types, values converted (jsonb, timestamps, booleans, doubles), verified by a checksum
 * computed in Caravan on both sides, a post-copy script in the target, and a row H2 refuses reported by its key.
 */
class SqlToH2Test {

    @TempDir
    Path dir;

    @Test
    void should_copy_ckan_into_h2_verify_it_equal_and_report_a_refused_row_by_its_key() throws Exception {
        try (EmbeddedPostgres pg = LoopbackPostgres.builder().start()) {
            DataSource source = pg.getPostgresDatabase();
            PgDump.load(source, SqlCopyTest.CKAN_DUMP);
            exec(source, "INSERT INTO public.\"user\" (id, name, created, sysadmin, state, email, about)"
                    + " SELECT md5('u' || g), 'user-' || g, now(), g % 500 = 0, 'active', 'user' || g || '@example.org',"
                    + " CASE WHEN g % 7 = 0 THEN E'tab\\there, new\\nline, back\\\\slash, é' END"
                    + " FROM generate_series(1, 3000) g");
            String h2 = "jdbc:h2:file:" + dir.resolve("target") + ";DB_CLOSE_ON_EXIT=FALSE";
            Path script = Files.writeString(dir.resolve("after.sql"),
                    "UPDATE \"PUBLIC\".\"user\" SET \"sysadmin\" = FALSE WHERE \"name\" <> 'ckan_admin'");
            TestHome home = new TestHome(dir.resolve("home")).route("sql-h2");
            Map<String, String> settings = new HashMap<>(Map.of("source.type", "sql",
                    "source.jdbc-url", pg.getJdbcUrl("postgres", "postgres"), "source.user", "postgres",
                    "source.chunk-rows", "400", "target.type", "sql", "target.jdbc-url", h2,
                    "target.after-scripts", script.toString(), "caravan.workers", "4"));
            home.job("sql-h2", settings);

            assertThat(home.caravan("run", "sql-h2")).isZero();

            try (Connection c = DriverManager.getConnection(h2)) {
                assertThat(count(c, "SELECT count(*) FROM \"PUBLIC\".\"user\"")).isEqualTo(3000 + 4);
                assertThat(count(c, "SELECT count(*) FROM \"PUBLIC\".\"user\" WHERE \"sysadmin\"")).isEqualTo(1);
                assertThat(string(c, "SELECT \"about\" FROM \"PUBLIC\".\"user\" WHERE \"name\" = 'user-7'"))
                        .isEqualTo("tab\there, new\nline, back\\slash, é");
                assertThat(string(c, "SELECT \"title\" FROM \"PUBLIC\".\"package\""
                        + " WHERE \"name\" = 'qualite-air-ile-de-france'")).isEqualTo("Qualité de l'air — Île-de-France (mesures horaires)");
            }
            // the script changed "user"; every other table is equal, by count and checksum
            exec(source, "UPDATE public.\"user\" SET sysadmin = false WHERE name <> 'ckan_admin'");
            assertThat(home.caravan("verify", "sql-h2")).as("every table equal").isZero();

            // H2 now refuses deleted groups; a group edited at the source sends its chunk again
            try (Connection c = DriverManager.getConnection(h2); Statement s = c.createStatement()) {
                s.execute("DELETE FROM \"PUBLIC\".\"group\" WHERE \"state\" = 'deleted'");
                s.execute("ALTER TABLE \"PUBLIC\".\"group\" ADD CONSTRAINT \"no_deleted\""
                        + " CHECK (\"state\" <> 'deleted')");
            }
            exec(source, "UPDATE public.\"group\" SET title = 'Airparif (renamed)' WHERE name = 'airparif-demo'");
            settings.put("target.after-scripts", "");
            home.job("sql-h2", settings);

            assertThat(home.caravan("run", "sql-h2")).isEqualTo(3);

            String reason = Rejects.ofLatestRun(home.data(), "sql-h2").values().iterator().next().get("reason")
                    .asText();
            assertThat(reason).startsWith("2 row(s) refused by the target, the rest committed")
                    .contains("(b0502b0e-812a-4c88-9989-f4132a9680f3)").contains("(21aed814-bc04-4a8b-85a6-73e8bc7ec3a8)");
            try (Connection c = DriverManager.getConnection(h2)) {
                assertThat(string(c, "SELECT \"title\" FROM \"PUBLIC\".\"group\" WHERE \"name\" = 'airparif-demo'"))
                        .as("the rest of the chunk committed").isEqualTo("Airparif (renamed)");
            }
        }
    }

    private static void exec(DataSource db, String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    private static long count(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String string(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }
}
