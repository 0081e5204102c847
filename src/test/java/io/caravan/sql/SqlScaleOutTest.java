package io.caravan.sql;

import io.caravan.testing.ArtemisBroker;
import io.caravan.testing.LoopbackPostgres;
import io.caravan.testing.Rejects;
import io.caravan.testing.TestHome;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.caravan.sql.SqlCopyTest.count;
import static io.caravan.sql.SqlCopyTest.exec;
import static io.caravan.sql.SqlCopyTest.reported;
import static io.caravan.sql.SqlCopyTest.verify;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A database copy shared by a planner and two workers through Artemis, each a JVM of its own, with the ledger in
 * PostgreSQL: a table keyed in no order of its pages goes by ranges of pages read in the planner's snapshot, one
 * keyed by serial numbers by chunks cut from a sample, each loaded without its key, which is added once every
 * chunk is in. Every row arrives once, and the next run finds every chunk unchanged.
 */
class SqlScaleOutTest {

    private static final int ROWS = 20_000;

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @Test
    void should_copy_by_pages_and_by_key_ranges_with_two_workers_and_find_it_all_unchanged_after() throws Exception {
        try (EmbeddedPostgres source = LoopbackPostgres.builder().start();
             EmbeddedPostgres target = LoopbackPostgres.builder().start();
             ArtemisBroker broker = ArtemisBroker.start(dir.resolve("broker"))) {
            DataSource db = source.getPostgresDatabase();
            exec(db, "CREATE TABLE public.scattered (id text PRIMARY KEY, n int NOT NULL, note text)");
            exec(db, "INSERT INTO public.scattered SELECT md5(g::text), g, 'row ' || g FROM generate_series(1, "
                    + ROWS + ") g");
            exec(db, "CREATE TABLE public.serial (id bigint PRIMARY KEY, note text)");
            exec(db, "INSERT INTO public.serial SELECT g, 'row ' || g FROM generate_series(1, " + ROWS + ") g");
            exec(db, "ANALYZE public.scattered; ANALYZE public.serial");
            exec(db, "CREATE DATABASE ledger");
            TestHome home = new TestHome(dir.resolve("home")).job("sql", Map.ofEntries(
                    Map.entry("source.type", "sql"),
                    Map.entry("source.jdbc-url", source.getJdbcUrl("postgres", "postgres")),
                    Map.entry("source.user", "postgres"),
                    Map.entry("source.tables", "scattered,serial"),
                    Map.entry("source.chunk-rows", "1000"),
                    Map.entry("target.type", "sql"),
                    Map.entry("target.jdbc-url", target.getJdbcUrl("postgres", "postgres")),
                    Map.entry("target.user", "postgres"),
                    Map.entry("caravan.workers", "2"),
                    Map.entry("caravan.ledger.url", source.getJdbcUrl("postgres", "ledger")),
                    Map.entry("caravan.ledger.user", "postgres"),
                    Map.entry("caravan.handoff", "jms:queue:caravan.{job}"),
                    Map.entry("caravan.handoff.batch", "1"), // a chunk is a large item: one to a message
                    Map.entry("caravan.broker.url", broker.url())));
            for (int i = 1; i <= 2; i++) {
                startWorker(home, i);
            }

            String first = plan(home, "planner");
            assertThat(first).contains("copying \"public\".\"scattered\" by ranges of");
            DataSource copy = target.getPostgresDatabase();
            for (String table : List.of("scattered", "serial")) {
                assertThat(count(copy, "SELECT count(*) FROM public." + table)).as(table).isEqualTo(ROWS);
                assertThat(count(copy, "SELECT count(DISTINCT id) FROM public." + table)).as(table).isEqualTo(ROWS);
                assertThat(count(copy, "SELECT count(*) FROM pg_constraint WHERE contype = 'p' AND conrelid = 'public."
                        + table + "'::regclass")).as("the key of " + table + " added after the load").isEqualTo(1);
            }
            assertThat(count(copy, "SELECT count(*) FROM pg_tables WHERE tablename LIKE 'caravan%'"))
                    .as("the load's own bookkeeping dropped").isZero();
            assertThat(Files.readString(latestReport(home))).contains("copied \"public\".\"scattered\" by")
                    .contains("recorded its " + ROWS / 1000 + " chunks");
            assertThat(count(source.getDatabase("postgres", "ledger"), "SELECT count(DISTINCT worker) FROM caravan_item"
                    + " WHERE job = 'sql' AND status = 'done' AND worker LIKE 'worker-%'"))
                    .as("both workers copied a share").isEqualTo(2);
            Map<String, String> verified = verify(home);
            assertThat(verified).containsEntry("scattered", "=").containsEntry("serial", "=");

            plan(home, "rerun");
            assertThat(reported(home, "done")).as("nothing copied again").isZero();
            assertThat(reported(home, "unchanged")).isEqualTo(reported(home, "listed"));
        } finally {
            for (Process p : processes) {
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    private void startWorker(TestHome home, int i) throws Exception {
        Process worker = home.start(dir.resolve("worker-" + i + ".log"), List.of(), List.of("-Xmx256m"), "work",
                "sql", "--set", "caravan.instance=worker-" + i);
        processes.add(worker);
        long deadline = System.currentTimeMillis() + 120_000;
        while (!log("worker-" + i).contains("consuming") && System.currentTimeMillis() < deadline) {
            assertThat(worker.isAlive()).as(log("worker-" + i)).isTrue();
            Thread.sleep(100);
        }
        assertThat(log("worker-" + i)).contains("consuming");
    }

    /** Runs the planner to its end; returns its log. */
    private String plan(TestHome home, String name) throws Exception {
        Process planner = home.start(dir.resolve(name + ".log"), List.of(), "run", "sql");
        processes.add(planner);
        assertThat(planner.waitFor(300, TimeUnit.SECONDS)).as(log(name)).isTrue();
        assertThat(planner.exitValue()).as(log(name) + "\nworker-1:\n" + log("worker-1") + "\nworker-2:\n"
                + log("worker-2")).isZero();
        return log(name);
    }

    private static Path latestReport(TestHome home) throws Exception {
        return Rejects.latestRun(home.data(), "sql").resolve("report.txt");
    }

    private String log(String name) {
        return TestHome.logOf(dir.resolve(name + ".log"));
    }
}
