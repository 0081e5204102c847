package io.caravan.pipeline;

import io.caravan.testing.LoopbackPorts;
import io.caravan.testing.ArtemisBroker;
import io.caravan.testing.LoopbackPostgres;
import io.caravan.testing.S3ProxyServer;
import io.caravan.testing.TestHome;
import io.caravan.testing.Trees;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import javax.sql.DataSource;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.caravan.testing.TestHome.merge;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One planning instance and two or three workers, each a JVM of its own, sharing a job through an ActiveMQ Artemis
 * queue (embedded in this JVM, persistent) and a PostgreSQL ledger: folder → S3. Every file arrives once and intact,
 * the ledger accounts for every item, each worker does a share; and the run completes when a worker is killed with
 * SIGKILL mid-run, when the broker stops and starts again mid-run, and when the planner is killed with SIGKILL while
 * it publishes and is run again. PostgreSQL, S3Proxy and the two source trees are shared by the class; each test has
 * its own broker, job (so its own queue and ledger rows) and bucket.
 */
class ScaleOutTest {

    private static final int FILES = 5_000;
    private static final int SMALL = 800;
    private static final int THREADS = 4;
    /** What one worker can have in hand: a batch per consumer thread, each item of which may not be recorded yet. */
    private static final int IN_HAND = THREADS * PublishStage.DEFAULT_BATCH;

    @TempDir
    static Path shared;
    static EmbeddedPostgres postgres;
    static S3ProxyServer s3;
    static Path bigTree;
    static Path smallTree;
    static SortedMap<String, String> bigExpected;
    static SortedMap<String, String> smallExpected;

    @TempDir
    Path dir;
    ArtemisBroker broker;
    TestHome home;
    String job;
    final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void startServers() throws Exception {
        postgres = LoopbackPostgres.builder().start();
        s3 = S3ProxyServer.onDisk(Files.createDirectories(shared.resolve("s3")));
        bigTree = shared.resolve("big");
        Trees.generate(bigTree, FILES, 21);
        bigExpected = Trees.ofFolder(bigTree);
        smallTree = shared.resolve("small");
        Trees.generate(smallTree, SMALL, 22);
        smallExpected = Trees.ofFolder(smallTree);
    }

    @AfterAll
    static void stopServers() throws Exception {
        s3.close();
        postgres.close();
    }

    @BeforeEach
    void setUp() throws Exception {
        broker = ArtemisBroker.start(dir.resolve("broker"));
        home = new TestHome(dir.resolve("home"));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        broker.close();
    }

    /** A folder → S3 job of its own: its name is also its bucket and, in caravan.{job}, its queue. */
    private void job(String name, Path tree) {
        job = name;
        s3.createBucket(name);
        home.route(name);
        home.job(name, merge(merge(Map.of("source.type", "folder", "source.root", tree.toString(),
                "caravan.workers", Integer.toString(THREADS),
                "caravan.ledger.url", postgres.getJdbcUrl("postgres", "postgres"),
                "caravan.ledger.user", "postgres",
                "caravan.handoff", "jms:queue:caravan.{job}",
                "caravan.broker.url", broker.url()), s3.settings("target", name)), Map.of()));
    }

    @Test
    void should_move_every_file_once_with_three_workers_sharing_the_queue() throws Exception {
        job("scale-out", bigTree);
        int metricsPort = LoopbackPorts.free();
        List<Process> workers = startWorkers(3, "--set", "caravan.work.http.port=" + metricsPort);
        Process planner = startPlanner("planner", List.of());

        assertExitZero(planner, "planner");
        assertThat(log("planner")).contains("5000");
        assertTargetEqualsSource(bigExpected);
        assertThat(s3.writes(job)).as("each file written once").isEqualTo(FILES);
        Map<String, Long> byWorker = doneByWorker();
        System.out.println("ScaleOutTest: items done per worker " + byWorker + "; the planner's report:\n"
                + log("planner").substring(Math.max(0, log("planner").lastIndexOf("job " + job) - 2000)));
        assertThat(byWorker.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(FILES);
        assertThat(byWorker).as("each worker did a share: %s", byWorker).hasSize(3)
                .allSatisfy((worker, items) -> assertThat(items).isGreaterThan(FILES / (3 * 5)));
        assertThat(workers).allSatisfy(w -> assertThat(w.isAlive()).isTrue());

        TestHome.Ran status = home.run("status", job, "--set", "caravan.http.port=0");
        assertThat(status.exit()).as(status.output()).isZero();
        System.out.println("ScaleOutTest: caravan status " + job + ":\n" + status.out());
        assertThat(status.out()).as("caravan status shows each worker's share").contains("(finished), per instance:")
                .containsPattern("worker-1 +[1-9][\\d,]* +0 +0 ").containsPattern("worker-2 +[1-9][\\d,]* +0 +0 ")
                .containsPattern("worker-3 +[1-9][\\d,]* +0 +0 ");
        HttpResponse<String> metrics = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + metricsPort + "/observe/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).as("worker-1's own share in its metrics").contains(
                "caravan_job_items{instance=\"worker-1\",job=\"scale-out\",outcome=\"done\"} "
                        + byWorker.get("worker-1") + ".0");
    }

    /** A file grows after the planner published it: its worker rejects it, and the planner's report names it. */
    @Test
    void should_name_in_the_planners_rejects_the_item_a_worker_rejected() throws Exception {
        Path tree = dir.resolve("growing");
        Trees.generate(tree, 20, 23);
        Path grown;
        try (Stream<Path> files = Files.walk(tree)) {
            grown = files.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
        }
        String grownKey = tree.relativize(grown).toString().replace('\\', '/');
        job("worker-rejects", tree);
        Process planner = startPlanner("planner", List.of());
        await(() -> log("planner").contains("published for the workers") || !planner.isAlive());
        Files.writeString(grown, "grown after it was listed", StandardOpenOption.APPEND);
        startWorkers(1);

        assertThat(planner.waitFor(120, TimeUnit.SECONDS)).as(log("planner") + log("worker-1")).isTrue();
        assertThat(planner.exitValue()).as(log("planner")).isEqualTo(3);
        assertThat(log("planner")).containsPattern("rejected +1 ");
        Matcher report = Pattern.compile("report in (\\S+)").matcher(log("planner"));
        assertThat(report.find()).as(log("planner")).isTrue();
        assertThat(Files.readAllLines(Path.of(report.group(1)).resolve("rejects.jsonl"))).singleElement()
                .asString().contains("\"" + grownKey + "\"").contains("rejected").contains("on worker-1");
    }

    @Test
    void should_complete_the_run_when_a_worker_is_killed_mid_run() throws Exception {
        job("worker-killed", smallTree);
        List<Process> workers = startWorkers(2);
        Process planner = startPlanner("planner", List.of());

        await(() -> s3.writes(job) >= SMALL / 4 || !planner.isAlive());
        assertThat(planner.isAlive()).as("the run is still going when a worker is killed").isTrue();
        workers.get(0).destroyForcibly(); // SIGKILL
        assertThat(workers.get(0).waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertExitZero(planner, "planner");
        assertTargetEqualsSource(smallExpected);
        System.out.println("ScaleOutTest: worker killed; " + s3.writes(job) + " writes for " + SMALL + " items");
        assertThat(s3.writes(job)).as("only the items the killed worker had in hand are written twice")
                .isBetween((long) SMALL, (long) SMALL + IN_HAND);
        assertLedgerEqualsTarget();
    }

    @Test
    void should_complete_the_run_when_the_broker_stops_and_starts_again_mid_run() throws Exception {
        job("broker-restarted", smallTree);
        List<Process> workers = startWorkers(2);
        Process planner = startPlanner("planner", List.of());

        await(() -> s3.writes(job) >= SMALL / 3 || !planner.isAlive());
        assertThat(planner.isAlive()).as("the run is still going when the broker stops").isTrue();
        broker.stop();
        long writesWhileAway = s3.writes(job);
        Thread.sleep(4_000);
        assertThat(planner.isAlive()).as("the planner waits for the broker").isTrue();
        assertThat(workers).as("the workers wait for the broker").allSatisfy(w -> assertThat(w.isAlive()).isTrue());
        broker.start(); // the same port, the same journal

        assertExitZero(planner, "planner");
        assertTargetEqualsSource(smallExpected);
        System.out.println("ScaleOutTest: broker stopped after " + writesWhileAway + " writes; " + s3.writes(job)
                + " writes for " + SMALL + " items");
        assertThat(s3.writes(job)).as("only the items in hand when the broker went are written twice")
                .isBetween((long) SMALL, (long) SMALL + 2 * IN_HAND);
        assertThat(doneByWorker()).as("both workers went on after the broker came back").hasSize(2);
        assertThat(workers).allSatisfy(w -> assertThat(w.isAlive()).isTrue());
        assertLedgerEqualsTarget();
    }

    @Test
    void should_not_copy_again_what_the_workers_recorded_when_the_planner_is_killed_while_publishing()
            throws Exception {
        job("planner-killed", smallTree);
        startWorkers(2);
        // one publishing thread and small batches, so that the planner is caught while it publishes
        int batch = 4;
        Process planner = startPlanner("planner", List.of("--set", "caravan.workers=1",
                "--set", "caravan.handoff.batch=" + batch));

        await(() -> broker.messagesAdded("caravan." + job) >= SMALL / 5 / batch || !planner.isAlive());
        planner.destroyForcibly(); // SIGKILL
        assertThat(planner.waitFor(30, TimeUnit.SECONDS)).isTrue();
        long published = broker.messagesAdded("caravan." + job) * batch;
        assertThat(published).as("killed while publishing").isLessThan(SMALL);
        await(() -> doneByWorker().values().stream().mapToLong(Long::longValue).sum() >= SMALL / 10);
        long recordedBefore = doneByWorker().values().stream().mapToLong(Long::longValue).sum();

        Process again = startPlanner("planner-again", List.of());
        assertExitZero(again, "planner-again");
        assertTargetEqualsSource(smallExpected);
        System.out.println("ScaleOutTest: planner killed after publishing " + published + " of " + SMALL
                + " (" + recordedBefore + " recorded); " + s3.writes(job) + " writes in all");
        assertThat(s3.writes(job)).as("what the workers recorded is not copied again; at most the items in hand")
                .isBetween((long) SMALL, (long) SMALL + 2 * THREADS * batch);
        assertLedgerEqualsTarget();
    }

    /** The broker is down and stays down: no batch is taken, and every item of every batch is named. */
    @Test
    void should_name_every_item_of_the_batches_the_broker_never_took() throws Exception {
        Path tree = dir.resolve("unpublished");
        Trees.generate(tree, 25, 24);
        job("broker-down", tree);
        broker.stop();

        TestHome.Ran ran = home.run("run", job, "--set", "caravan.handoff.batch=10", "--set", "caravan.retries=1",
                "--set", "caravan.retry-delay-ms=10");

        assertThat(ran.exit()).as("items failed, named; a rerun publishes them again").isEqualTo(3);
        Matcher report = Pattern.compile("report in (\\S+)").matcher(ran.output());
        assertThat(report.find()).as(ran.output()).isTrue();
        assertThat(Files.readAllLines(Path.of(report.group(1)).resolve("rejects.jsonl"))).as(ran.output())
                .hasSize(25).allSatisfy(line -> assertThat(line).contains("\"publish\""));
    }

    @Test
    void should_stop_waiting_after_caravan_handoff_wait_when_no_worker_records_anything() throws Exception {
        Path tree = dir.resolve("tree");
        Trees.generate(tree, 20, 23);
        job("no-workers", tree);

        TestHome.Ran ran = home.run("run", job, "--set", "caravan.handoff.wait=2s");

        assertThat(ran.exit()).as(ran.output()).isEqualTo(2);
        assertThat(ran.output()).contains("waiting for workers: 0 of 20 items recorded, none for 2s");
        assertThat(broker.itemsQueued("caravan." + job)).as("the items stay queued for the workers").isEqualTo(20);
        assertThat(s3.writes(job)).isZero();
    }

    private Process startPlanner(String name, List<String> options) throws Exception {
        List<String> args = new ArrayList<>(List.of("run", job));
        args.addAll(options);
        Process planner = home.start(dir.resolve(name + ".log"), List.of(), args.toArray(String[]::new));
        processes.add(planner);
        return planner;
    }

    /** @param firstWorkerOptions more options for worker-1 */
    private List<Process> startWorkers(int count, String... firstWorkerOptions) throws Exception {
        List<Process> workers = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            List<String> args = new ArrayList<>(List.of("work", job, "--set", "caravan.instance=worker-" + i));
            if (i == 1) {
                args.addAll(List.of(firstWorkerOptions));
            }
            Process worker = home.start(dir.resolve("worker-" + i + ".log"), List.of(), List.of("-Xmx256m"),
                    args.toArray(String[]::new));
            workers.add(worker);
            processes.add(worker);
        }
        long deadline = System.currentTimeMillis() + 120_000;
        for (int i = 1; i <= count; i++) {
            while (!log("worker-" + i).contains("consuming") && System.currentTimeMillis() < deadline) {
                assertThat(workers.get(i - 1).isAlive()).as(log("worker-" + i)).isTrue();
                Thread.sleep(100);
            }
            assertThat(log("worker-" + i)).contains("consuming");
        }
        return workers;
    }

    private void assertExitZero(Process process, String name) throws Exception {
        assertThat(process.waitFor(300, TimeUnit.SECONDS)).as(log(name)).isTrue();
        assertThat(process.exitValue()).as(log(name)).isZero();
    }

    private void assertTargetEqualsSource(SortedMap<String, String> expected) {
        try (S3Client client = s3.client()) {
            assertThat(Trees.ofBucket(client, job)).isEqualTo(expected);
        }
    }

    private void assertLedgerEqualsTarget() {
        assertThat(home.caravan("verify", job)).as("the ledger agrees with the target").isZero();
    }

    private static void await(Check condition) throws Exception {
        long deadline = System.currentTimeMillis() + 180_000;
        while (!condition.holds() && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    /** Done rows of the job, per instance that wrote them. */
    private Map<String, Long> doneByWorker() throws Exception {
        DataSource ds = postgres.getPostgresDatabase();
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = ds.getConnection(); PreparedStatement st = c.prepareStatement(
                "SELECT worker, COUNT(*) FROM caravan_item WHERE job = ? AND status = 'done' GROUP BY worker")) {
            st.setString(1, job);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next()) {
                    counts.put(String.valueOf(rs.getString(1)), rs.getLong(2));
                }
            }
        }
        return counts;
    }


    private String log(String name) {
        return TestHome.logOf(dir.resolve(name + ".log"));
    }
}
