package io.caravan.ledger;

import io.caravan.testing.LoopbackPostgres;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The same ledger behaviour on the embedded H2 file and on PostgreSQL. */
class LedgerTest {

    static final LedgerScope JOB = new LedgerScope("job", "folder:/data/tree", "s3:http://127.0.0.1:9000/staging/");
    static final LedgerScope JOB_TO_PRODUCTION =
            new LedgerScope("job", "folder:/data/tree", "s3:http://127.0.0.1:9000/production/");
    static final LedgerScope OTHER_JOB =
            new LedgerScope("other-job", "folder:/data/tree", "s3:http://127.0.0.1:9000/staging/");
    static final LedgerScope MANY = new LedgerScope("many", "folder:/many", "folder:/copy");

    @TempDir
    Path dir;

    @Test
    void should_record_outcomes_on_h2() {
        try (LedgerDatabase db = LedgerDatabase.open(LedgerDatabase.embeddedUrl(dir), null, null, 2)) {
            exercise(new Ledger(db));
        }
    }

    @Test
    void should_commit_every_concurrent_write_and_fail_only_the_bad_row_on_h2() throws Exception {
        try (LedgerDatabase db = LedgerDatabase.open(LedgerDatabase.embeddedUrl(dir), null, null, 4)) {
            writeConcurrently(new Ledger(db));
        }
    }

    /**
     * H2 writes each change to a new place in its file: a ledger whose rows are rewritten at every run grows until
     * it is compacted, which the embedded ledger does when it closes with less than half its file live.
     */
    @Test
    void an_embedded_ledger_rewritten_run_after_run_stays_within_a_bounded_size_and_keeps_every_row()
            throws Exception {
        Path file = dir.resolve("ledger.mv.db");
        int rows = 3_000;
        long afterFirst = 0;
        long largest = 0;
        for (int run = 1; run <= 12; run++) {
            try (LedgerDatabase db = LedgerDatabase.open(LedgerDatabase.embeddedUrl(dir), null, null, 2)) {
                Ledger ledger = new Ledger(db);
                ledger.open(JOB);
                for (int i = 0; i < rows; i++) {
                    ledger.recordDone(JOB, "folder/file-" + i, i + ":" + run, "folder/file-" + i, "md5-" + run, i);
                }
                ledger.flush();
            }
            long size = Files.size(file);
            afterFirst = run == 1 ? size : afterFirst;
            largest = Math.max(largest, size);
        }
        // without compaction the file holds every run's rows: twelve times the first run's size and more
        assertThat(largest).isLessThan(4 * afterFirst);
        try (LedgerDatabase db = LedgerDatabase.open(LedgerDatabase.embeddedUrl(dir), null, null, 2)) {
            Ledger ledger = new Ledger(db);
            for (int i = 0; i < rows; i += 499) {
                assertThat(ledger.find(JOB, "folder/file-" + i)).get()
                        .satisfies(e -> assertThat(e.fingerprint()).endsWith(":12"));
            }
        }
    }

    /** The ledger skips Flyway when its history is at SCHEMA_VERSION: a new migration must move that version too. */
    @Test
    void the_schema_version_the_ledger_checks_is_the_newest_migration() throws Exception {
        int newest;
        try (Stream<Path> files = Files.list(Path.of("src/main/resources/db/ledger"))) {
            newest = files.map(f -> f.getFileName().toString()).filter(n -> n.matches("V\\d+__.*\\.sql"))
                    .mapToInt(n -> Integer.parseInt(n.substring(1, n.indexOf("__")))).max().orElseThrow();
        }
        assertThat(LedgerDatabase.SCHEMA_VERSION).isEqualTo(Integer.toString(newest));
    }

    @Test
    void should_record_outcomes_on_postgresql() throws Exception {
        try (EmbeddedPostgres pg = LoopbackPostgres.builder().start();
             LedgerDatabase db = LedgerDatabase.open(pg.getJdbcUrl("postgres", "postgres"), "postgres", null, 2)) {
            Ledger ledger = new Ledger(db);
            exercise(ledger);
            writeConcurrently(ledger);
        }
    }

    /**
     * Workers' rows share commits, behind the workers; a row the database refuses does not take its neighbours
     * down, and is reported by the flush that ends the run.
     */
    private static void writeConcurrently(Ledger ledger) throws Exception {
        ledger.open(MANY);
        int threads = 16;
        int rowsEach = 200;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<LedgerException> reported = new CopyOnWriteArrayList<>();
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < rowsEach; i++) {
                        try {
                            ledger.recordDone(MANY, thread + "/" + i, "f", "t", "md5", i);
                        } catch (LedgerException e) { // the refused row's error, which stops a job
                            reported.add(e);
                            ledger.recordDone(MANY, thread + "/" + i, "f", "t", "md5", i);
                        }
                        if (thread == 3 && i == 100) {
                            ledger.recordDone(MANY, null, "f", "t", "md5", 1); // item_key is NOT NULL
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> writer : writers) {
                writer.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        try {
            ledger.flush();
        } catch (LedgerException e) {
            reported.add(e);
        }
        assertThat(reported).as("the refused row is reported once, to a later write or to the flush").hasSize(1)
                .allSatisfy(e -> assertThat(e).hasMessageContaining("cannot write to the ledger"));
        assertThat(ledger.countByStatus(MANY)).isEqualTo(Map.of(LedgerStatus.DONE, (long) threads * rowsEach));
        assertThat(ledger.find(MANY, "15/199").orElseThrow().bytes()).isEqualTo(199);
    }

    private static void exercise(Ledger ledger) {
        for (LedgerScope scope : List.of(JOB, JOB_TO_PRODUCTION, OTHER_JOB)) {
            ledger.open(scope);
        }
        ledger.recordFailure(JOB, "a", "1:1", LedgerStatus.FAILED, "t/a", "timeout");
        ledger.recordDone(JOB, "a", "1:1", "t/a", "md5a", 1);
        ledger.recordDone(JOB, "b", "2:2", "t/b", "md5b", 2);
        ledger.recordFailure(JOB, "c", null, LedgerStatus.REJECTED, null, "symbolic link loop");
        ledger.recordDone(OTHER_JOB, "a", "9:9", "x", "md5x", 9);
        ledger.recordDone(JOB_TO_PRODUCTION, "b", "2:2", "t/b", "md5b", 2);

        LedgerEntry a = ledger.find(JOB, "a").orElseThrow();
        assertThat(a.status()).isEqualTo(LedgerStatus.DONE);
        assertThat(a.attempts()).isEqualTo(2);
        assertThat(a.lastError()).isNull();
        assertThat(a.isDoneWith("1:1")).isTrue();
        assertThat(a.isDoneWith("1:2")).isFalse();
        assertThat(ledger.findByTargetKey(JOB, "t/b").orElseThrow().key()).isEqualTo("b");
        assertThat(ledger.find(JOB, "c").orElseThrow().lastError()).isEqualTo("symbolic link loop");
        assertThat(ledger.countByStatus(JOB)).isEqualTo(Map.of(LedgerStatus.DONE, 2L, LedgerStatus.REJECTED, 1L));
        assertThat(ledger.findAll(JOB, List.of("a", "missing", "c")).keySet()).containsExactlyInAnyOrder("a", "c");
        List<String> keys = new ArrayList<>();
        ledger.forEach(JOB, e -> keys.add(e.key()));
        assertThat(keys).containsExactly("a", "b", "c");

        // the same job to another target remembers only what went there
        assertThat(ledger.find(JOB_TO_PRODUCTION, "a")).isEmpty();
        assertThat(ledger.findAll(JOB_TO_PRODUCTION, List.of("a", "b", "c")).keySet()).containsExactly("b");
        assertThat(ledger.countByStatus(JOB_TO_PRODUCTION)).isEqualTo(Map.of(LedgerStatus.DONE, 1L));
        assertThat(ledger.scopes().of("job")).extracting(LedgerScopes.Summary::target)
                .containsExactly(JOB.target(), JOB_TO_PRODUCTION.target());

        assertThat(ledger.scopes().forget("job", JOB_TO_PRODUCTION.id())).isEqualTo(1);
        assertThat(ledger.find(JOB_TO_PRODUCTION, "b")).isEmpty();
        assertThat(ledger.find(JOB, "b")).isPresent();
        assertThat(ledger.scopes().of("job")).extracting(LedgerScopes.Summary::id).containsExactly(JOB.id());
        assertThat(ledger.isReachable()).isTrue();

        // a batch in key order, read as one range on H2: the rows between its keys that were not asked for stay out
        for (int i = 1; i <= 9; i++) {
            ledger.recordDone(JOB, "d/" + i, i + ":1", "t/d/" + i, "md5", i);
        }
        ledger.flush();
        assertThat(ledger.findAll(JOB, List.of("b", "d/2", "d/5", "d/6x", "d/9")).keySet())
                .containsExactlyInAnyOrder("b", "d/2", "d/5", "d/9");
        // a range holding many more rows than the batch has keys is read a key at a time
        for (int i = 0; i < 40; i++) {
            ledger.recordDone(JOB, String.format("e/%02d", i), "1:1", "t/e", "md5", 1);
        }
        ledger.flush();
        assertThat(ledger.findAll(JOB, List.of("e/00", "e/39", "e/40")).keySet())
                .containsExactlyInAnyOrder("e/00", "e/39");
        assertThat(ledger.findAll(JOB, List.of("e/39", "d/3", "e/00")).keySet())
                .containsExactlyInAnyOrder("e/39", "d/3", "e/00");
    }

    /**
     * A batch is read as a key range only where the database orders keys as Java does: PostgreSQL's collations
     * put "a" before "B", so a range between two keys could leave out rows of the batch.
     */
    @Test
    void ranges_of_keys_are_read_only_where_the_database_orders_them_as_java_does() throws Exception {
        try (LedgerDatabase db = LedgerDatabase.open(LedgerDatabase.embeddedUrl(dir), null, null, 2)) {
            assertThat(BatchLookup.ordersAsJava(db.dataSource())).isTrue();
        }
        try (EmbeddedPostgres pg = LoopbackPostgres.builder().start();
             LedgerDatabase db = LedgerDatabase.open(pg.getJdbcUrl("postgres", "postgres"), "postgres", null, 2)) {
            assertThat(BatchLookup.ordersAsJava(db.dataSource())).isFalse();
        }
    }
}
