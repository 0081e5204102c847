package io.caravan.job;

import io.caravan.testing.S3ProxyServer;
import io.caravan.testing.TestHome;
import io.caravan.testing.Trees;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.caravan.testing.TestHome.merge;
import static org.assertj.core.api.Assertions.assertThat;

/** The second pass: only what changed moves, and the target is neither written nor listed for the rest. */
class RerunTest {

    @TempDir
    Path dir;
    S3ProxyServer s3;
    TestHome home;
    Path tree;

    @BeforeEach
    void setUp() throws Exception {
        s3 = S3ProxyServer.onDisk(Files.createDirectories(dir.resolve("s3")));
        s3.createBucket("rerun");
        tree = dir.resolve("tree");
        Trees.generate(tree, 300, 3);
        home = new TestHome(dir.resolve("home"));
        home.job("folder-to-s3", merge(Map.of("source.type", "folder", "source.root", tree.toString()),
                s3.settings("target", "rerun")));
        assertThat(home.caravan("run", "folder-to-s3")).isZero();
        assertThat(s3.writes("rerun")).isEqualTo(300);
        s3.resetCounts();
    }

    @AfterEach
    void tearDown() throws Exception {
        s3.close();
    }

    @Test
    void should_write_nothing_and_list_nothing_at_the_target_when_nothing_changed() {
        assertThat(home.caravan("run", "folder-to-s3")).isZero();
        assertThat(s3.writes("rerun")).isZero();
        assertThat(s3.listings("rerun")).isZero();
    }

    /**
     * An unchanged rerun does without the job's routes (they are started once the listing has an item for them), so a
     * route file broken since the last run goes unseen until something changed: that run stops with exit 2 naming
     * the routes, copies nothing and records nothing, and once the file is mended the next run copies what changed.
     */
    @Test
    void should_start_the_routes_only_for_a_changed_item_and_stop_with_exit_code_2_when_they_cannot_start()
            throws Exception {
        TestHome.Ran unchanged = home.run("run", "folder-to-s3");
        assertThat(unchanged.exit()).isZero();
        assertThat(unchanged.out()).contains("unchanged           300")
                .contains("nothing new, changed or left to do: the job's routes were not started");

        Path routes = home.path().resolve("routes/folder-to-s3.camel.yaml");
        String shipped = Files.readString(routes);
        Files.writeString(routes, "- templatedRoute:\n    routeTemplateRef: no-such-template\n");
        assertThat(home.caravan("run", "folder-to-s3")).as("nothing changed: the routes are not started").isZero();

        Path touched;
        try (var files = Files.walk(tree)) {
            touched = files.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
        }
        Files.setLastModifiedTime(touched, FileTime.from(Instant.now().plusSeconds(60)));
        TestHome.Ran broken = home.run("run", "folder-to-s3");
        assertThat(broken.exit()).isEqualTo(2);
        assertThat(broken.output()).contains("cannot start the job's routes").contains("no-such-template");
        assertThat(s3.writes("rerun")).isZero();

        Files.writeString(routes, shipped);
        TestHome.Ran mended = home.run("run", "folder-to-s3");
        assertThat(mended.exit()).isZero();
        assertThat(mended.out()).doesNotContain("routes were not started");
        assertThat(s3.writes("rerun")).isEqualTo(1);
        try (S3Client client = s3.client()) {
            assertThat(Trees.ofBucket(client, "rerun")).isEqualTo(Trees.ofFolder(tree));
        }
    }

    @Test
    void should_copy_again_only_the_file_whose_size_or_mtime_changed() throws Exception {
        copyAgainOnlyTheChangedFiles();
    }

    /** Over caravan.ledger.snapshot-rows, every item is looked up in the ledger: the same two, and only they, move. */
    @Test
    void should_copy_again_only_the_changed_files_when_the_ledger_holds_more_rows_than_a_snapshot_may()
            throws Exception {
        copyAgainOnlyTheChangedFiles("--set", "caravan.ledger.snapshot-rows=100");
    }

    private void copyAgainOnlyTheChangedFiles(String... options) throws Exception {
        Path grown;
        Path touched;
        try (var files = Files.walk(tree)) {
            var list = files.filter(Files::isRegularFile).sorted().toList();
            grown = list.get(10);
            touched = list.get(20);
        }
        Files.writeString(grown, "more bytes", java.nio.file.StandardOpenOption.APPEND);
        Files.setLastModifiedTime(touched, FileTime.from(Instant.now().plusSeconds(60)));

        List<String> args = new ArrayList<>(List.of("run", "folder-to-s3"));
        args.addAll(List.of(options));
        assertThat(home.caravan(args.toArray(String[]::new))).isZero();

        assertThat(s3.writes("rerun")).isEqualTo(2);
        try (S3Client client = s3.client()) {
            assertThat(Trees.ofBucket(client, "rerun")).isEqualTo(Trees.ofFolder(tree));
        }
    }

    /**
     * The target is connected to, and its bucket checked, when an item first needs it: an unchanged rerun with
     * credentials the server refuses still ends well (credentials are no part of the ledger's scope, so nothing is
     * new), and once a file has changed the run stops with exit code 2, the changed file not recorded as done. A
     * bucket that does not exist (another scope, where everything is new) stops the run with its name.
     */
    @Test
    void should_check_the_target_bucket_only_when_an_item_needs_it_and_stop_with_exit_code_2_if_it_is_gone()
            throws Exception {
        assertThat(home.caravan("run", "folder-to-s3", "--set", "target.s3.secret-key=refused")).isZero();

        Path changed;
        try (var files = Files.walk(tree)) {
            changed = files.filter(Files::isRegularFile).sorted().findFirst().orElseThrow();
        }
        Files.writeString(changed, "changed", java.nio.file.StandardOpenOption.APPEND);
        assertThat(home.caravan("run", "folder-to-s3", "--set", "target.s3.secret-key=refused")).isEqualTo(2);
        assertThat(latestReport(home, "")).contains("\"fatalError\" : \"target bucket rerun: 403");
        assertThat(home.caravan("run", "folder-to-s3", "--set", "target.bucket=gone")).isEqualTo(2);
        assertThat(latestReport(home, "")).contains("\"fatalError\" : \"target bucket gone: 404 NoSuchBucket");
        assertThat(s3.writes("rerun")).isZero();

        assertThat(home.caravan("run", "folder-to-s3")).as("the right bucket: the changed file is still to copy")
                .isZero();
        assertThat(s3.writes("rerun")).isEqualTo(1);
    }

    /** Sixteen workers meet the missing bucket at once: the operator reads its cause once, not once per worker. */
    @Test
    void should_say_once_why_the_run_stopped_whatever_the_number_of_workers() throws Exception {
        Path log = dir.resolve("gone.log");
        Process run = home.start(log, List.of(), "run", "folder-to-s3", "--set", "target.bucket=gone",
                "--set", "caravan.workers=16");
        assertThat(run.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(log);
        assertThat(run.exitValue()).as(output).isEqualTo(2);
        assertThat(output.split("stopped: ", -1)).as(output).hasSize(2);
        assertThat(output).contains("job folder-to-s3 stopped: target bucket gone: 404 NoSuchBucket");
    }

    @Test
    void should_plan_without_writing_on_a_dry_run() throws Exception {
        Path fresh = tree.resolve("fresh.txt");
        Files.writeString(fresh, "new");
        assertThat(home.caravan("run", "folder-to-s3", "--dry-run")).isZero();
        assertThat(s3.writes("rerun")).isZero();
        String report = latestReport(home, "-dry");
        assertThat(report).contains("\"new\" : {\n      \"items\" : 1,").contains("\"unchanged\" : {\n      \"items\" : 300,");
        assertThat(home.caravan("run", "folder-to-s3")).isZero();
        assertThat(s3.writes("rerun")).as("the dry run recorded nothing, so the real run copies the new file")
                .isEqualTo(1);
    }

    @Test
    void should_show_what_the_ledger_knows_in_status() {
        java.io.PrintStream original = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertThat(home.caravan("status", "folder-to-s3")).isZero();
        } finally {
            System.setOut(original);
        }
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8))
                .contains("folder-to-s3: 1 scope").contains("target s3:" + s3.endpoint() + "/rerun/")
                .contains("300 done, 0 written unverified, 0 failed, 0 rejected").contains("exit code 0");
    }

    static String latestReport(TestHome home, String suffix) throws Exception {
        try (var runs = Files.list(home.data().resolve("runs/folder-to-s3"))) {
            Path run = runs.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted()
                    .reduce((a, b) -> b).orElseThrow();
            return Files.readString(run.resolve("report.json"));
        }
    }
}
