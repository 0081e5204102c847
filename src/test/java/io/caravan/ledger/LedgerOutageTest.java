package io.caravan.ledger;

import io.caravan.testing.LoopbackPorts;
import io.caravan.testing.LoopbackPostgres;
import io.caravan.testing.Rejects;
import io.caravan.testing.TestHome;
import io.caravan.testing.Trees;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;
import java.nio.file.FileVisitResult;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The ledger goes away mid-run: a PostgreSQL server stopped for 10 s (the run's lock, gone with it, is taken again),
 * an embedded ledger's disk filling up.
 */
class LedgerOutageTest {

    private static final int ITEMS = 2_000;

    @TempDir
    Path dir;

    @Test
    void should_wait_for_a_postgresql_ledger_stopped_for_ten_seconds_and_finish_with_ledger_equal_to_target()
            throws Exception {
        Path tree = dir.resolve("tree");
        Trees.generate(tree, ITEMS, 3);
        SortedMap<String, String> expected = Trees.ofFolder(tree);
        Path target = dir.resolve("target");
        Path pgData = dir.resolve("pg");
        int port = LoopbackPorts.free();
        EmbeddedPostgres pg = postgres(pgData, port);
        try {
            TestHome home = new TestHome(dir.resolve("home"));
            home.job("folder-to-folder", ledgerSettings(Map.of("source.type", "folder", "source.root", tree.toString(),
                    "target.type", "folder", "target.root", target.toString(), "caravan.rate-limit", "100",
                    "caravan.workers", "4"), port));
            Path log = dir.resolve("run.log");
            Process run = home.start(log, List.of(), "run", "folder-to-folder");
            awaitFiles(target, 300);

            pg.close();
            long stoppedAt = System.nanoTime();
            long whileStopped = countFiles(target);
            Thread.sleep(10_000);
            assertThat(run.isAlive()).as("the run waits for its ledger").isTrue();
            assertThat(countFiles(target)).as("the workers wait too, at most 256 items ahead of the ledger")
                    .isLessThanOrEqualTo(whileStopped + GroupCommit.UNRECORDED + 4);
            pg = postgres(pgData, port);
            assertThat(System.nanoTime() - stoppedAt).isGreaterThan(TimeUnit.SECONDS.toNanos(10));

            // the run lock went with the server; the run takes it again within a check (5 s) of its return
            Thread.sleep(TimeUnit.SECONDS.toMillis(RunLock.CHECK_SECONDS + 2));
            assertThat(run.isAlive()).isTrue();
            TestHome.Ran second = home.run("run", "folder-to-folder");
            assertThat(second.exit()).as(second.output()).isEqualTo(2);
            assertThat(second.output()).contains("is already running against this ledger");

            assertThat(run.waitFor(120, TimeUnit.SECONDS)).as("the run ends").isTrue();
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(run.exitValue()).as(output).isZero();
            assertThat(output).contains("the ledger is unreachable").contains("waiting for it up to 60 s")
                    .contains("the ledger's connection holding the run lock was lost; the lock is taken again");
            assertThat(Trees.ofFolder(target)).isEqualTo(expected);
            assertThat(doneKeys(pg.getPostgresDatabase())).as("ledger = target").isEqualTo(expected.keySet().stream()
                    .toList());
            String report = Files.readString(Rejects.latestRun(home.data(), "folder-to-folder").resolve("report.txt"));
            assertThat(report).containsPattern("done +" + String.format("%,d", ITEMS) + " ");
        } finally {
            pg.close();
        }
    }

    @Test
    void should_stop_with_exit_code_2_when_the_embedded_ledger_cannot_write_and_count_done_only_what_it_holds()
            throws Exception {
        Path ledgerDisk = Files.createDirectories(dir.resolve("ledger-disk"));
        Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", ledgerDisk.toString())
                .redirectErrorStream(true).start();
        String said = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(mount.waitFor() == 0, () -> "this system refuses to mount a tmpfs: " + said);
        try {
            Path tree = dir.resolve("tree");
            Trees.generate(tree, ITEMS, 4);
            Path target = dir.resolve("target");
            TestHome home = new TestHome(dir.resolve("home"));
            Map<String, String> settings = Map.of("source.type", "folder", "source.root", tree.toString(),
                    "target.type", "folder", "target.root", target.toString(), "caravan.rate-limit", "200",
                    "caravan.ledger.url", "jdbc:h2:file:" + ledgerDisk.resolve("ledger"));
            home.job("folder-to-folder", settings);
            Path log = dir.resolve("run.log");
            Process run = home.start(log, List.of(), "run", "folder-to-folder");
            awaitFiles(target, 300);
            Path filler = ledgerDisk.resolve("filler");
            new ProcessBuilder("dd", "if=/dev/zero", "of=" + filler, "bs=64k").redirectErrorStream(true)
                    .redirectOutput(dir.resolve("dd.log").toFile()).start().waitFor();

            assertThat(run.waitFor(120, TimeUnit.SECONDS)).as("the run ends").isTrue();
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(run.exitValue()).as(output).isEqualTo(2);
            String report = Files.readString(Rejects.latestRun(home.data(), "folder-to-folder").resolve("report.txt"));
            long reportedDone = Long.parseLong(report.replaceAll("(?s).*\\n +done +([\\d,]+) .*", "$1")
                    .replace(",", ""));

            Files.delete(filler);
            TestHome.Ran status = home.run("status", "folder-to-folder");
            long recorded = Long.parseLong(status.out().replaceAll("(?s).* ([\\d,]+) done,.*", "$1").replace(",", ""));
            assertThat(reportedDone).as("no item counted done that the ledger does not hold").isEqualTo(recorded);
            assertThat(recorded).isLessThanOrEqualTo(countFiles(target)).isLessThan(ITEMS);

            assertThat(home.caravan("run", "folder-to-folder", "--set", "caravan.rate-limit=0")).isZero();
            assertThat(Trees.ofFolder(target)).isEqualTo(Trees.ofFolder(tree));
        } finally {
            new ProcessBuilder("umount", "-l", ledgerDisk.toString()).inheritIO().start().waitFor();
        }
    }

    private static EmbeddedPostgres postgres(Path data, int port) throws IOException {
        return LoopbackPostgres.builder().setDataDirectory(data).setCleanDataDirectory(false).setPort(port).start();
    }

    private static Map<String, String> ledgerSettings(Map<String, String> job, int port) {
        Map<String, String> all = new HashMap<>(job);
        all.put("caravan.ledger.url", "jdbc:postgresql://127.0.0.1:" + port + "/postgres");
        all.put("caravan.ledger.user", "postgres");
        return all;
    }

    private static List<String> doneKeys(DataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT item_key FROM caravan_item WHERE status = 'done' ORDER BY item_key")) {
            List<String> keys = new java.util.ArrayList<>();
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
            return keys.stream().sorted().toList();
        }
    }

    private static void awaitFiles(Path target, long count) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (countFiles(target) < count) {
            assertThat(System.currentTimeMillis()).as("the run makes progress").isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** Files under their item's name, counted while the run renames its temporary files into place. */
    private static long countFiles(Path root) throws IOException {
        if (!Files.isDirectory(root)) {
            return 0;
        }
        long[] count = {0};
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile() && !file.getFileName().toString().endsWith("-tmp")) {
                    count[0]++;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE; // renamed or removed since its folder was read
            }
        });
        return count[0];
    }

}
