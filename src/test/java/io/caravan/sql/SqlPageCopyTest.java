package io.caravan.sql;

import io.caravan.testing.LoopbackPostgres;
import io.caravan.testing.Rejects;
import io.caravan.testing.TestHome;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.caravan.sql.SqlCopyTest.count;
import static io.caravan.sql.SqlCopyTest.exec;
import static io.caravan.sql.SqlCopyTest.reported;
import static io.caravan.sql.SqlCopyTest.verify;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The first copy of a table keyed in no order of its pages (md5 text keys, as CKAN's UUIDs), which goes by ranges of
 * pages read in one snapshot ({@link PagedCopies}), between two real PostgreSQL servers.
 */
class SqlPageCopyTest {

    static final int ROWS = 20_000;
    static final String PAGED = "copying \"public\".\"scattered\" by ranges of";

    static EmbeddedPostgres source;

    @TempDir
    Path dir;

    @BeforeAll
    static void start() throws Exception {
        source = LoopbackPostgres.builder().start();
    }

    @AfterAll
    static void stop() throws Exception {
        source.close();
    }

    /** A fresh table of ROWS rows keyed by md5 text, analysed, so that its statistics say its key is scattered. */
    private DataSource scatteredTable() throws Exception {
        DataSource db = source.getPostgresDatabase();
        exec(db, "DROP TABLE IF EXISTS public.scattered");
        exec(db, "CREATE TABLE public.scattered (id text PRIMARY KEY, n int NOT NULL, note text)");
        exec(db, "INSERT INTO public.scattered SELECT md5(g::text), g, 'row ' || g FROM generate_series(1, " + ROWS
                + ") g");
        exec(db, "ANALYZE public.scattered");
        return db;
    }

    @Test
    void should_copy_a_scattered_table_by_pages_record_its_chunks_and_copy_again_only_what_changed_after()
            throws Exception {
        DataSource db = scatteredTable();
        try (EmbeddedPostgres target = LoopbackPostgres.builder().start()) {
            DataSource copy = target.getPostgresDatabase();
            TestHome home = job(target, Map.of("source.chunk-rows", "2000"));
            TestHome.Ran first = home.run("run", "sql");
            assertThat(first.exit()).as(first.output()).isZero();
            assertThat(first.output()).contains(PAGED);
            long ranges = reported(home, "done");
            assertThat(ranges).as("about 10 ranges of 2,000 rows' pages").isBetween(5L, 20L);
            assertThat(verify(home)).containsEntry("scattered", "=");
            assertThat(Files.readString(Rejects.latestRun(home.data(), "sql").resolve("report.txt")))
                    .contains("copied \"public\".\"scattered\" by " + ranges + " ranges of pages in one snapshot;"
                            + " recorded its " + ROWS / 2000 + " chunks");
            assertThat(count(copy, "SELECT count(*) FROM pg_constraint WHERE contype = 'p'"
                    + " AND conrelid = 'public.scattered'::regclass")).as("the key added after the load").isEqualTo(1);
            assertThat(count(copy, "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'caravan%'"))
                    .as("the load's own bookkeeping dropped").isZero();

            // the chunks listed in the copy's snapshot were recorded: the next run finds every one unchanged
            TestHome.Ran rerun = home.run("run", "sql");
            assertThat(rerun.exit()).as(rerun.output()).isZero();
            assertThat(rerun.output()).doesNotContain(PAGED);
            long chunks = reported(home, "listed");
            assertThat(chunks).as("chunks of 2,000 rows").isEqualTo(ROWS / 2000);
            assertThat(reported(home, "unchanged")).isEqualTo(chunks);
            assertThat(reported(home, "done")).isZero();

            exec(db, "UPDATE public.scattered SET note = 'changed' WHERE n = 777; DELETE FROM public.scattered"
                    + " WHERE n = 12345");
            exec(copy, "CREATE TABLE public.versions_before AS SELECT id, xmin::text AS version FROM public.scattered");
            assertThat(home.caravan("run", "sql")).isZero();
            assertThat(reported(home, "done")).as("the chunks of the changed and the deleted row").isBetween(1L, 2L);
            assertThat(verify(home)).containsEntry("scattered", "=");
            assertThat(count(copy, "SELECT count(*) FROM public.scattered t WHERE NOT EXISTS (SELECT 1 FROM"
                    + " public.versions_before b WHERE b.id = t.id AND b.version = t.xmin::text)"))
                    .as("only the changed row written again, not its chunk's 2,000").isEqualTo(1);
            assertThat(count(copy, "SELECT count(*) FROM public.scattered")).isEqualTo(ROWS - 1);
            exec(copy, "DROP TABLE public.versions_before");

            // a ledger without those chunks (lost, or a kill after the key was added and before they were recorded):
            // the table has its key, so it is copied again by ranges of keys, each emptied first
            TestHome again = job(target, Map.of("source.chunk-rows", "2000"));
            TestHome.Ran anew = again.run("run", "sql");
            assertThat(anew.exit()).as(anew.output()).isZero();
            assertThat(anew.output()).doesNotContain(PAGED);
            assertThat(count(copy, "SELECT count(*) FROM public.scattered")).isEqualTo(ROWS - 1);
            assertThat(verify(again)).containsEntry("scattered", "=");
        }
    }

    /**
     * @param byPages whether the run after the kill copies the table by pages again, or by ranges of keys
     *                ({@code source.copy-by-pages=false}, or statistics that no longer say its key is scattered)
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void should_copy_a_scattered_table_again_from_its_start_after_a_killed_copy_and_leave_each_row_once(
            boolean byPages) throws Exception {
        scatteredTable();
        try (EmbeddedPostgres target = LoopbackPostgres.builder().start()) {
            DataSource copy = target.getPostgresDatabase();
            TestHome home = job(target, Map.of("source.chunk-rows", "400", "caravan.rate-limit", "8"));
            Process child = home.start(dir.resolve("killed.log"), List.of(), "run", "sql");
            waitForRows(copy, 2_000);
            child.destroyForcibly().waitFor();
            assertThat(count(copy, "SELECT count(*) FROM public.scattered")).as("killed midway")
                    .isBetween(2_000L, ROWS - 1L);

            TestHome.Ran rerun = home.run("run", "sql", "--set", "caravan.rate-limit=0", "--set",
                    "source.copy-by-pages=" + byPages);
            assertThat(rerun.exit()).as(rerun.output()).isZero();
            if (byPages) {
                assertThat(rerun.output()).as("the snapshot of the killed run is gone").contains(PAGED);
            } else {
                // the killed copy's ranges, of another snapshot, are emptied out before the first chunk goes in
                assertThat(rerun.output()).doesNotContain(PAGED).contains("emptied \"public\".\"scattered\"");
            }
            assertThat(count(copy, "SELECT count(*) FROM public.scattered")).as("each row once").isEqualTo(ROWS);
            assertThat(verify(home)).containsEntry("scattered", "=");
        }
    }

    @Test
    void should_hold_a_table_copied_by_pages_against_a_rewrite_that_would_move_rows_onto_pages_read_already()
            throws Exception {
        DataSource db = scatteredTable();
        // the first half of the pages holds only dead rows: a VACUUM FULL would move the others there
        exec(db, "DELETE FROM public.scattered WHERE n <= " + ROWS / 2);
        try (EmbeddedPostgres target = LoopbackPostgres.builder().start()) {
            DataSource copy = target.getPostgresDatabase();
            TestHome home = job(target, Map.of("source.chunk-rows", "400", "caravan.rate-limit", "8",
                    "caravan.workers", "1"));
            Path log = dir.resolve("rewritten.log");
            Process child = home.start(log, List.of(), "run", "sql");
            long deadline = System.currentTimeMillis() + 60_000;
            while (!TestHome.logOf(log).contains(PAGED)) {
                assertThat(System.currentTimeMillis()).as(TestHome.logOf(log)).isLessThan(deadline);
                Thread.sleep(50);
            }
            Thread.sleep(1_500); // a quarter of the ranges read, all of them from the emptied half

            String rewrite = "";
            try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                s.execute("SET lock_timeout = '2s'");
                s.execute("VACUUM FULL public.scattered");
            } catch (SQLException e) {
                rewrite = e.getMessage();
            }
            assertThat(rewrite).as("the rewrite waits for the copy's lock").contains("lock timeout");
            assertThat(child.waitFor()).as(TestHome.logOf(log)).isZero();
            assertThat(count(copy, "SELECT count(*) FROM public.scattered")).isEqualTo(ROWS / 2);
            assertThat(verify(home)).containsEntry("scattered", "=");
        }
    }

    @Test
    void should_read_every_range_in_the_listings_snapshot_so_that_rows_updated_during_the_copy_are_neither_lost_nor_doubled()
            throws Exception {
        DataSource db = scatteredTable();
        try (EmbeddedPostgres target = LoopbackPostgres.builder().start()) {
            DataSource copy = target.getPostgresDatabase();
            TestHome home = job(target, Map.of("source.chunk-rows", "400", "caravan.rate-limit", "8"));
            // the source ends a transaction idle for a second; the snapshot's is idle for the whole copy
            exec(db, "ALTER ROLE postgres SET idle_in_transaction_session_timeout = '1s'");
            Process child;
            try {
                child = home.start(dir.resolve("updated.log"), List.of(), "run", "sql");
                waitForRows(copy, 2_000);
            } finally {
                exec(db, "ALTER ROLE postgres RESET idle_in_transaction_session_timeout");
            }
            // every row gets a new version, written after the pages the snapshot saw: read again, they would be doubled
            exec(db, "UPDATE public.scattered SET note = 'updated during the copy'");
            assertThat(child.waitFor()).as("the key added: no row twice, every range read").isZero();

            assertThat(count(copy, "SELECT count(*) FROM public.scattered")).isEqualTo(ROWS);
            assertThat(count(copy, "SELECT count(*) FROM public.scattered WHERE note = 'updated during the copy'"))
                    .as("the rows as the listing's snapshot saw them").isZero();
            assertThat(verify(home)).containsEntry("scattered", "*");
            assertThat(home.caravan("run", "sql", "--set", "caravan.rate-limit=0")).isZero();
            assertThat(reported(home, "done")).as("every chunk changed since the snapshot").isEqualTo(ROWS / 400);
            assertThat(verify(home)).containsEntry("scattered", "=");
        }
    }

    @Test
    void should_record_a_table_copied_whole_by_pages_when_another_table_refused_a_row_and_not_copy_it_again()
            throws Exception {
        DataSource db = scatteredTable();
        exec(db, "DROP TABLE IF EXISTS public.refusing");
        exec(db, "CREATE TABLE public.refusing (id int PRIMARY KEY, n int)");
        exec(db, "INSERT INTO public.refusing SELECT g, g FROM generate_series(1, 1000) g");
        try (EmbeddedPostgres target = LoopbackPostgres.builder().start()) {
            DataSource copy = target.getPostgresDatabase();
            exec(copy, "CREATE TABLE public.refusing (id int PRIMARY KEY, n int CHECK (n <> 500))");
            TestHome home = job(target, Map.of("source.tables", "scattered,refusing", "source.chunk-rows", "2000"));
            TestHome.Ran refused = home.run("run", "sql");
            assertThat(refused.exit()).as(refused.output()).isNotZero();
            assertThat(refused.output()).contains(PAGED);
            assertThat(count(copy, "SELECT count(*) FROM public.scattered")).isEqualTo(ROWS);

            // a row changed at the source meanwhile: its chunk goes into the table whose key is still to come
            exec(db, "UPDATE public.scattered SET note = 'changed' WHERE n = 4321");
            exec(copy, "ALTER TABLE public.refusing DROP CONSTRAINT refusing_n_check");
            TestHome.Ran again = home.run("run", "sql");
            assertThat(again.exit()).as(again.output()).isZero();
            assertThat(again.output()).as("its chunks were recorded: not copied again by pages").doesNotContain(PAGED);
            assertThat(reported(home, "done")).as("the changed chunk and the refused one").isEqualTo(2);
            assertThat(verify(home)).containsEntry("scattered", "=").containsEntry("refusing", "=");
            assertThat(count(copy, "SELECT count(*) FROM pg_constraint WHERE contype = 'p'"
                    + " AND conrelid = 'public.scattered'::regclass")).as("the key added: no row twice").isEqualTo(1);
        } finally {
            exec(db, "DROP TABLE public.refusing");
        }
    }

    private static void waitForRows(DataSource copy, long rows) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (count(copy, "SELECT count(*) FROM pg_tables WHERE tablename = 'scattered'") == 0
                || count(copy, "SELECT count(*) FROM public.scattered") < rows) {
            assertThat(System.currentTimeMillis()).as("the copy makes progress").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    private TestHome job(EmbeddedPostgres target, Map<String, String> extra) {
        Map<String, String> settings = new HashMap<>(Map.of("source.type", "sql",
                "source.jdbc-url", source.getJdbcUrl("postgres", "postgres"), "source.user", "postgres",
                "source.tables", "scattered", "target.type", "sql",
                "target.jdbc-url", target.getJdbcUrl("postgres", "postgres"), "target.user", "postgres"));
        settings.putAll(extra);
        return new TestHome(dir.resolve("home-" + System.nanoTime())).job("sql", settings);
    }
}
