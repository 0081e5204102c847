package io.caravan.ledger;

import io.caravan.testing.LoopbackPostgres;
import io.caravan.testing.TestHome;
import io.caravan.testing.Trees;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two {@code caravan run}s of one job on one shared PostgreSQL ledger: the second is refused while the first runs,
 * naming it, and the first is not disturbed; once it ends, the next run goes ahead. A run whose lock went with its
 * connection, and was taken by another meanwhile, stops. (A killed run lets the lock go with its connection:
 * KillAndResumeTest's rerun after SIGKILL on PostgreSQL needs that.)
 */
class RunLockTest {

    @TempDir
    Path dir;
    Path source;
    Path target;

    @BeforeEach
    void paths() {
        source = dir.resolve("source");
        target = dir.resolve("target");
    }

    /** folder → folder at {@code filesPerSecond}, one worker, on the PostgreSQL ledger. */
    private TestHome slowJob(EmbeddedPostgres postgres, int filesPerSecond) {
        return new TestHome(dir.resolve("home")).job("folder-to-folder", Map.of("source.type", "folder",
                "source.root", source.toString(), "target.type", "folder", "target.root", target.toString(),
                "caravan.workers", "1", "caravan.rate-limit", Integer.toString(filesPerSecond),
                "caravan.ledger.url", postgres.getJdbcUrl("postgres", "postgres"), "caravan.ledger.user", "postgres"));
    }

    /** A run in a child JVM, once it has copied a file (and so holds the lock). */
    private Process startAndAwaitFirstCopy(TestHome home) throws Exception {
        Process run = home.start(dir.resolve("first.log"), List.of(), "run", "folder-to-folder");
        long deadline = System.currentTimeMillis() + 60_000;
        while (copied(target) == 0 && run.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(run.isAlive()).as(TestHome.logOf(dir.resolve("first.log"))).isTrue();
        return run;
    }

    @Test
    void should_refuse_a_second_run_of_a_job_while_another_process_runs_it_on_the_same_ledger() throws Exception {
        Trees.generate(source, 40, 7);
        try (EmbeddedPostgres postgres = LoopbackPostgres.builder().start()) {
            TestHome home = slowJob(postgres, 20);
            Process first = startAndAwaitFirstCopy(home);

            TestHome.Ran second = home.run("run", "folder-to-folder");
            assertThat(second.exit()).as(second.output()).isEqualTo(2);
            assertThat(second.output()).contains("job folder-to-folder is already running against this ledger"
                    + " (caravan run of folder-to-folder on " + first.pid() + "@");
            assertThat(first.isAlive()).as("the second run left before it copied anything").isTrue();

            assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).as(TestHome.logOf(dir.resolve("first.log"))).isZero();
            assertThat(Trees.ofFolder(target)).isEqualTo(Trees.ofFolder(source));
            assertThat(home.caravan("run", "folder-to-folder")).as("the lock went with the first run").isZero();
        }
    }

    @Test
    void should_stop_a_run_whose_lock_another_run_took_while_its_connection_was_gone() throws Exception {
        Trees.generate(source, 200, 8);
        try (EmbeddedPostgres postgres = LoopbackPostgres.builder().start()) {
            TestHome home = slowJob(postgres, 10);
            Process first = startAndAwaitFirstCopy(home);
            long deadline = System.currentTimeMillis() + 60_000;
            try (Connection other = postgres.getPostgresDatabase().getConnection();
                 Statement sql = other.createStatement()) {
                String scope;
                try (ResultSet rs = sql.executeQuery("SELECT scope_id FROM caravan_run")) {
                    assertThat(rs.next()).isTrue();
                    scope = rs.getString(1);
                }
                // the ledger's side of the lock's connection goes (a restart or a failover would do the same)
                sql.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                        + " WHERE application_name LIKE 'caravan run of folder-to-folder%'");
                boolean taken = false;
                while (!taken && System.currentTimeMillis() < deadline) {
                    try (ResultSet rs = sql.executeQuery("SELECT pg_try_advisory_lock(hashtext('caravan run'),"
                            + " hashtext('" + scope + "'))")) {
                        rs.next();
                        taken = rs.getBoolean(1);
                    }
                }
                assertThat(taken).isTrue();

                assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
                assertThat(first.exitValue()).isEqualTo(2);
                assertThat(TestHome.logOf(dir.resolve("first.log"))).contains("another run took the lock meanwhile");
                assertThat(copied(target)).as("it stopped before the end").isLessThan(200);
            }
            assertThat(home.caravan("run", "folder-to-folder")).as("the lock let go").isZero();
            assertThat(Trees.ofFolder(target)).isEqualTo(Trees.ofFolder(source));
        }
    }

    private static long copied(Path target) throws Exception {
        if (!Files.isDirectory(target)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(target)) {
            return files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith("."))
                    .count();
        }
    }
}
