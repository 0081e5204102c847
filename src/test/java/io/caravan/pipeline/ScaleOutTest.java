package io.caravan.pipeline;

import io.caravan.testing.S3ProxyServer;
import io.caravan.testing.TestHome;
import io.caravan.testing.Trees;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.apache.activemq.broker.BrokerService;
import org.apache.activemq.broker.TransportConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import javax.sql.DataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static io.caravan.testing.TestHome.merge;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One planning instance and three workers, each a JVM of its own, sharing a job through an ActiveMQ queue and a
 * PostgreSQL ledger: folder → S3. Every file arrives once and intact, the ledger accounts for every item, each worker
 * does a share; and when a worker is killed with SIGKILL mid-run, the others finish its items.
 */
class ScaleOutTest {

    private static final int FILES = 5_000;
    private static final int WORKERS = 3;
    private static final int THREADS = 4;
    private static final String JOB = "folder-to-s3";
    private static final String BUCKET = "scaled";

    @TempDir
    Path dir;
    BrokerService broker;
    String brokerUrl;
    EmbeddedPostgres postgres;
    S3ProxyServer s3;
    Path tree;
    SortedMap<String, String> expected;
    TestHome home;
    final List<Process> processes = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        broker = new BrokerService();
        broker.setBrokerName("caravan-test");
        broker.setPersistent(false);
        broker.setUseJmx(false);
        TransportConnector connector = broker.addConnector("tcp://127.0.0.1:0");
        broker.start();
        broker.waitUntilStarted();
        brokerUrl = connector.getPublishableConnectString();
        postgres = EmbeddedPostgres.builder().start();
        s3 = S3ProxyServer.onDisk(Files.createDirectories(dir.resolve("s3")));
        s3.createBucket(BUCKET);
        tree = dir.resolve("tree");
        Trees.generate(tree, FILES, 21);
        expected = Trees.ofFolder(tree);
        home = new TestHome(dir.resolve("home"));
        home.job(JOB, merge(merge(Map.of("source.type", "folder", "source.root", tree.toString(),
                "caravan.workers", Integer.toString(THREADS),
                "caravan.ledger.url", postgres.getJdbcUrl("postgres", "postgres"),
                "caravan.ledger.user", "postgres",
                "caravan.handoff", "jms:queue:caravan.{job}",
                "caravan.broker.url", brokerUrl), s3.settings("target", BUCKET)), Map.of()));
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Process p : processes) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
        s3.close();
        postgres.close();
        broker.stop();
    }

    @Test
    void should_move_every_file_once_with_three_workers_sharing_the_queue() throws Exception {
        List<Process> workers = startWorkers();
        Process planner = home.start(dir.resolve("planner.log"), List.of(), "run", JOB);
        processes.add(planner);

        assertThat(planner.waitFor(300, TimeUnit.SECONDS)).as(log("planner")).isTrue();
        assertThat(planner.exitValue()).as(log("planner")).isZero();
        assertThat(log("planner")).contains("5000");

        try (S3Client client = s3.client()) {
            assertThat(Trees.ofBucket(client, BUCKET)).isEqualTo(expected);
        }
        assertThat(s3.writes(BUCKET)).as("each file written once").isEqualTo(FILES);
        Map<String, Long> byWorker = doneByWorker();
        System.out.println("ScaleOutTest: items done per worker " + byWorker + "; the planner's report:\n"
                + log("planner").substring(Math.max(0, log("planner").lastIndexOf("job folder-to-s3") - 2000)));
        assertThat(byWorker.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(FILES);
        assertThat(byWorker).as("each worker did a share: %s", byWorker).hasSize(WORKERS)
                .allSatisfy((worker, items) -> assertThat(items).isGreaterThan(FILES / (WORKERS * 5)));
        assertThat(workers).allSatisfy(w -> assertThat(w.isAlive()).isTrue());
    }

    @Test
    void should_complete_the_run_when_a_worker_is_killed_mid_run() throws Exception {
        List<Process> workers = startWorkers();
        Process planner = home.start(dir.resolve("planner.log"), List.of(), "run", JOB);
        processes.add(planner);

        long deadline = System.currentTimeMillis() + 180_000;
        while (s3.writes(BUCKET) < FILES / 4 && planner.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(5);
        }
        assertThat(planner.isAlive()).as("the run is still going when a worker is killed").isTrue();
        workers.get(0).destroyForcibly(); // SIGKILL
        assertThat(workers.get(0).waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(planner.waitFor(300, TimeUnit.SECONDS)).as(log("planner")).isTrue();
        assertThat(planner.exitValue()).as(log("planner")).isZero();
        try (S3Client client = s3.client()) {
            assertThat(Trees.ofBucket(client, BUCKET)).isEqualTo(expected);
        }
        assertThat(s3.writes(BUCKET)).as("only the items the killed worker had in hand are written twice")
                .isBetween((long) FILES, (long) FILES + THREADS);
        assertThat(doneByWorker().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(FILES);
        assertThat(home.caravan("verify", JOB)).as("the ledger agrees with the target").isZero();
    }

    private List<Process> startWorkers() throws Exception {
        List<Process> workers = new ArrayList<>();
        for (int i = 1; i <= WORKERS; i++) {
            Process worker = home.start(dir.resolve("worker-" + i + ".log"), List.of(), List.of("-Xmx256m"),
                    "work", JOB, "--set", "caravan.instance=worker-" + i);
            workers.add(worker);
            processes.add(worker);
        }
        long deadline = System.currentTimeMillis() + 120_000;
        for (int i = 1; i <= WORKERS; i++) {
            while (!log("worker-" + i).contains("consuming") && System.currentTimeMillis() < deadline) {
                assertThat(workers.get(i - 1).isAlive()).as(log("worker-" + i)).isTrue();
                Thread.sleep(100);
            }
            assertThat(log("worker-" + i)).contains("consuming");
        }
        return workers;
    }

    /** Done rows of the job, per instance that wrote them. */
    private Map<String, Long> doneByWorker() throws Exception {
        DataSource ds = postgres.getPostgresDatabase();
        Map<String, Long> counts = new TreeMap<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT worker, COUNT(*) FROM caravan_item WHERE job = '" + JOB
                     + "' AND status = 'done' GROUP BY worker")) {
            while (rs.next()) {
                counts.put(String.valueOf(rs.getString(1)), rs.getLong(2));
            }
        }
        return counts;
    }

    private String log(String name) {
        try {
            Path file = dir.resolve(name + ".log");
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (Exception e) {
            return e.toString();
        }
    }
}
