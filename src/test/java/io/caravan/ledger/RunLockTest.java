package io.caravan.ledger;

import io.caravan.testing.LoopbackPostgres;
import io.caravan.testing.TestHome;
import io.caravan.testing.Trees;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two {@code caravan run}s of one job on one shared PostgreSQL ledger: the second is refused while the first runs,
 * naming it, and the first is not disturbed; once it ends, the next run goes ahead. (A killed run lets the lock go
 * with its connection: KillAndResumeTest's rerun after SIGKILL on PostgreSQL needs that.)
 */
class RunLockTest {

    @TempDir
    Path dir;

    @Test
    void should_refuse_a_second_run_of_a_job_while_another_process_runs_it_on_the_same_ledger() throws Exception {
        Path source = dir.resolve("source");
        Path target = dir.resolve("target");
        Trees.generate(source, 40, 7);
        try (EmbeddedPostgres postgres = LoopbackPostgres.builder().start()) {
            TestHome home = new TestHome(dir.resolve("home"));
            home.job("folder-to-folder", Map.of("source.type", "folder", "source.root", source.toString(),
                    "target.type", "folder", "target.root", target.toString(),
                    "caravan.workers", "1", "caravan.rate-limit", "10",
                    "caravan.ledger.url", postgres.getJdbcUrl("postgres", "postgres"),
                    "caravan.ledger.user", "postgres"));

            Process first = home.start(dir.resolve("first.log"), List.of(), "run", "folder-to-folder");
            long deadline = System.currentTimeMillis() + 60_000;
            while (copied(target) == 0 && first.isAlive() && System.currentTimeMillis() < deadline) {
                Thread.sleep(10);
            }
            assertThat(first.isAlive()).as(TestHome.logOf(dir.resolve("first.log"))).isTrue();

            TestHome.Ran second = home.run("run", "folder-to-folder");
            assertThat(second.exit()).as(second.output()).isEqualTo(2);
            assertThat(second.output()).contains("job folder-to-folder is already running against this ledger: run ",
                    "not finished");
            assertThat(first.isAlive()).as("the second run left before it copied anything").isTrue();

            assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(first.exitValue()).as(TestHome.logOf(dir.resolve("first.log"))).isZero();
            assertThat(Trees.ofFolder(target)).isEqualTo(Trees.ofFolder(source));
            assertThat(home.caravan("run", "folder-to-folder")).as("the lock went with the first run").isZero();
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
