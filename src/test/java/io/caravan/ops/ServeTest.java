package io.caravan.ops;

import io.caravan.testing.LoopbackPostgres;
import io.caravan.testing.ServeProcess;
import io.caravan.testing.SftpServer;
import io.caravan.testing.TestHome;
import io.caravan.testing.Trees;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.caravan.testing.S3ProxyServer;
import software.amazon.awssdk.services.s3.S3Client;

import javax.management.ObjectName;
import javax.management.remote.JMXConnectorFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static io.caravan.testing.TestHome.merge;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A real {@code caravan serve} process, driven over a real JMX connector (RMI on loopback). */
class ServeTest {

    @TempDir
    static Path dir;
    static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = LoopbackPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        postgres.close();
    }

    @Test
    void should_serve_a_job_dropped_in_while_running_and_follow_edits_of_its_file() throws Exception {
        Path source = dir.resolve("drop-source");
        Trees.generate(source, 40, 1);
        Files.writeString(source.resolve("notes.skip"), "left behind after the edit");
        Path target = dir.resolve("drop-target");
        TestHome home = new TestHome(dir.resolve("drop-home"));
        try (ServeProcess serve = ServeProcess.start(home, dir.resolve("drop.log"), ledger())) {
            assertThat(serve.hasJob("drop-in")).isFalse();

            home.job("drop-in", Map.of("source.type", "folder", "source.root", source.toString(),
                    "target.type", "folder", "target.root", target.toString()));
            Files.writeString(home.path().resolve("routes/drop-in.camel.yaml"), TestHome.templatedRoute("drop-in"));
            serve.await(Duration.ofSeconds(20), () -> has(serve, "drop-in"));

            assertThat(serve.runToCompletion("drop-in")).contains("exit code 0");
            assertThat(serve.job("drop-in").getDone()).isEqualTo(41);
            assertThat(Trees.ofFolder(target)).isEqualTo(Trees.ofFolder(source));
            assertThat(ledgerCount("drop-in")).as("the ledger shows its items").isEqualTo(41);

            // new settings open the job again: the last run's counts stay on view
            int settingsLoads = settingsReloads(serve, "drop-in");
            Files.writeString(home.path().resolve("config/jobs/drop-in.properties"), "caravan.progress-interval = 2s\n",
                    java.nio.file.StandardOpenOption.APPEND);
            serve.await(Duration.ofSeconds(20), () -> settingsReloads(serve, "drop-in") > settingsLoads);
            assertThat(serve.job("drop-in").getDone()).as("the last run's counts outlive a reload").isEqualTo(41);

            // An edit: files named *.skip no longer move. The next run follows it.
            Files.writeString(source.resolve("other.skip"), "new, and skipped by the edited route");
            Files.writeString(source.resolve("new.txt"), "new, and copied");
            int loads = reloads(serve, "drop-in");
            Files.writeString(home.path().resolve("routes/drop-in.camel.yaml"), skippingRoute("drop-in"));
            serve.await(Duration.ofSeconds(20), () -> reloads(serve, "drop-in") > loads);
            serve.runToCompletion("drop-in");
            assertThat(Files.exists(target.resolve("new.txt"))).as(serve.log()).isTrue();
            assertThat(Files.exists(target.resolve("other.skip"))).as("the edited route skips it").isFalse();

            // A broken edit: reported, and the previous version keeps running.
            Files.writeString(home.path().resolve("routes/drop-in.camel.yaml"), "- route: {from: [unclosed");
            JobControlMBean job = serve.job("drop-in");
            serve.await(Duration.ofSeconds(20), () -> job.getLastError().contains("drop-in.camel.yaml"));
            Files.writeString(source.resolve("third.skip"), "still skipped");
            Files.writeString(source.resolve("third.txt"), "still copied");
            serve.runToCompletion("drop-in");
            assertThat(Files.exists(target.resolve("third.txt"))).as(serve.log()).isTrue();
            assertThat(Files.exists(target.resolve("third.skip"))).as("the previous (edited) version ran").isFalse();
        }
    }

    @Test
    void should_serve_an_sftp_job_dropped_in_while_running_without_a_restart() throws Exception {
        Path served = dir.resolve("sftp-served");
        Trees.generate(served.resolve("archive"), 30, 21);
        Path target = dir.resolve("sftp-archive-target");
        TestHome home = new TestHome(dir.resolve("sftp-home"));
        try (SftpServer sftp = new SftpServer(served, dir.resolve("sftp-host.key"));
             ServeProcess serve = ServeProcess.start(home, dir.resolve("sftp.log"), ledger())) {
            assertThat(serve.hasJob("sftp-archive")).isFalse();

            home.job("sftp-archive", Map.of("source.type", "camel", "source.uri", sftp.uri("archive"),
                    "target.type", "folder", "target.root", target.toString()));
            Files.writeString(home.path().resolve("routes/sftp-archive.camel.yaml"),
                    TestHome.templatedRoute("sftp-archive"));
            serve.await(Duration.ofSeconds(20), () -> has(serve, "sftp-archive"));

            assertThat(serve.runToCompletion("sftp-archive")).contains("exit code 0");
            assertThat(Trees.ofFolder(target)).isEqualTo(Trees.ofFolder(served.resolve("archive")));
            assertThat(ledgerCount("sftp-archive")).isEqualTo(30);
            assertThat(serve.process().isAlive()).isTrue();
            assertThat(serve.log().split("serving ", -1)).as("served once, never restarted").hasSize(2);
            assertThat(serve.log()).doesNotContain(SftpServer.PASSWORD);
        }
    }

    @Test
    void should_serve_a_java_dsl_job_dropped_in_while_running_and_follow_edits_of_its_file() throws Exception {
        Path source = dir.resolve("java-source");
        Trees.generate(source, 30, 21);
        Files.writeString(source.resolve("notes.skip"), "left behind after the edit");
        Path target = dir.resolve("java-target");
        TestHome home = new TestHome(dir.resolve("java-home"));
        Path routeFile = home.path().resolve("routes/java-drop.java");
        try (ServeProcess serve = ServeProcess.start(home, dir.resolve("java.log"), ledger())) {
            assertThat(serve.hasJob("java-drop")).isFalse();

            home.job("java-drop", Map.of("source.type", "folder", "source.root", source.toString(),
                    "target.type", "folder", "target.root", target.toString()));
            Files.writeString(routeFile, javaRoute("java-drop", ""));
            serve.await(Duration.ofSeconds(30), () -> has(serve, "java-drop"));
            assertThat(serve.runToCompletion("java-drop")).contains("exit code 0");
            assertThat(Trees.ofFolder(target)).isEqualTo(Trees.ofFolder(source));
            assertThat(ledgerCount("java-drop")).as("the ledger shows its items").isEqualTo(31);

            // An edit: files named *.skip no longer move. The next run follows it.
            Files.writeString(source.resolve("other.skip"), "new, and skipped by the edited route");
            Files.writeString(source.resolve("new.txt"), "new, and copied");
            int loads = reloads(serve, "java-drop");
            Files.writeString(routeFile, javaRoute("java-drop", ".filter(simple(\"${body.key} !endsWith '.skip'\"))"));
            serve.await(Duration.ofSeconds(30), () -> reloads(serve, "java-drop") > loads);
            serve.runToCompletion("java-drop");
            assertThat(Files.exists(target.resolve("new.txt"))).as(serve.log()).isTrue();
            assertThat(Files.exists(target.resolve("other.skip"))).as("the edited route skips it").isFalse();

            // A broken edit, which javac refuses: reported, and the previous version keeps running.
            Files.writeString(routeFile, javaRoute("java-drop", ".filter(simple(\"${body.key} !endsWith '.skip'\"))")
                    .replace("public void configure() {", "public void configure() { noSuchMethod();"));
            JobControlMBean job = serve.job("java-drop");
            serve.await(Duration.ofSeconds(30), () -> job.getLastError().contains("java-drop.java"));
            assertThat(job.getLastError()).as("javac's diagnostic reaches the operator").contains("noSuchMethod");
            Files.writeString(source.resolve("third.skip"), "still skipped");
            Files.writeString(source.resolve("third.txt"), "still copied");
            assertThat(serve.runToCompletion("java-drop")).contains("exit code 0");
            assertThat(Files.exists(target.resolve("third.txt"))).as(serve.log()).isTrue();
            assertThat(Files.exists(target.resolve("third.skip"))).as("the previous (edited) version ran").isFalse();

            // A YAML route file for the same job as well: which one wires it would be a guess, so neither is taken.
            Files.writeString(home.path().resolve("routes/java-drop.camel.yaml"), TestHome.templatedRoute("java-drop"));
            serve.await(Duration.ofSeconds(30), () -> job.getLastError().contains("two route files"));
            assertThat(job.getLastError()).contains("java-drop.camel.yaml", "java-drop.java");
        }
    }

    @Test
    void should_rebuild_jobs_from_an_edited_kamelet_keep_the_previous_one_on_a_broken_edit_and_spare_a_running_job()
            throws Exception {
        Path source = dir.resolve("kamelet-source");
        Trees.generate(source, 10, 11);
        Path target = dir.resolve("kamelet-target");
        Path slowSource = dir.resolve("kamelet-slow-source");
        Trees.generate(slowSource, 60, 12);
        TestHome home = new TestHome(dir.resolve("kamelet-home"));
        home.job("kam", Map.of("source.type", "folder", "source.root", source.toString(),
                "target.type", "folder", "target.root", target.toString()));
        home.job("slow", Map.of("source.type", "folder", "source.root", slowSource.toString(), "target.type", "folder",
                "target.root", dir.resolve("kamelet-slow-target").toString(), "caravan.rate-limit", "20",
                "caravan.workers", "2"));
        Files.writeString(home.path().resolve("routes/kam.camel.yaml"), TestHome.templatedRoute("kam"));
        Files.writeString(home.path().resolve("routes/slow.camel.yaml"), TestHome.templatedRoute("slow"));
        Path kamelet = home.path().resolve("routes/kamelets/caravan-transfer.kamelet.yaml");
        String original = Files.readString(kamelet);
        String steps = """
                          - process:
                              ref: caravanReceive
                          - process:
                              ref: caravanTransfer
                          - process:
                              ref: caravanRecord
                """;
        assertThat(original).contains(steps);
        String skipping = original.replace(steps, """
                          - process:
                              ref: caravanReceive
                          - filter:
                              simple: "${body.key} !endsWith '.skip'"
                              steps:
                                - process:
                                    ref: caravanTransfer
                                - process:
                                    ref: caravanRecord
                """);
        try (ServeProcess serve = ServeProcess.start(home, dir.resolve("kamelet.log"), ledger())) {
            JobControlMBean slow = serve.job("slow");
            slow.run();
            serve.await(Duration.ofSeconds(30), () -> slow.getDone() >= 5);

            Files.writeString(kamelet, skipping);
            serve.await(Duration.ofSeconds(20), () -> serve.log().contains("Kamelet caravan-transfer reloaded"));
            assertThat(serve.log()).contains("job slow is running: it is rebuilt from the edited Kamelet");
            Files.writeString(source.resolve("new.skip"), "skipped by the edited Kamelet");
            Files.writeString(source.resolve("new.txt"), "copied");
            assertThat(serve.runToCompletion("kam")).contains("exit code 0");
            assertThat(Files.exists(target.resolve("new.txt"))).as(serve.log()).isTrue();
            assertThat(Files.exists(target.resolve("new.skip"))).as("the edited Kamelet skips it").isFalse();

            // Broken: the routes cannot be built from it. Reported on the job, and the edited version stays.
            Files.writeString(kamelet, skipping.replace("ref: caravanRecord", "ref: noSuchStage"));
            JobControlMBean kam = serve.job("kam");
            serve.await(Duration.ofSeconds(20), () -> kam.getLastError().contains("caravan-transfer.kamelet.yaml"));
            Files.writeString(source.resolve("third.skip"), "still skipped");
            Files.writeString(source.resolve("third.txt"), "still copied");
            assertThat(serve.runToCompletion("kam")).contains("exit code 0");
            assertThat(Files.exists(target.resolve("third.txt"))).as(serve.log()).isTrue();
            assertThat(Files.exists(target.resolve("third.skip"))).as("the previous Kamelet ran").isFalse();

            serve.await(Duration.ofSeconds(60), () -> slow.getState().equals("IDLE"));
            assertThat(slow.getDone()).as("the running job was not disturbed").isEqualTo(60);
            assertThat(slow.getFailed() + slow.getRejected()).isZero();
        }
    }

    @Test
    void should_refuse_remote_jmx_without_credentials() throws Exception {
        TestHome home = new TestHome(dir.resolve("auth-home"));
        try (ServeProcess serve = ServeProcess.start(home, dir.resolve("auth.log"), ledger())) {
            assertThatThrownBy(() -> JMXConnectorFactory.connect(serve.url()).getMBeanServerConnection())
                    .isInstanceOf(SecurityException.class);
            assertThatThrownBy(() -> JMXConnectorFactory.connect(serve.url(), Map.of("jmx.remote.credentials",
                    new String[]{ServeProcess.USER, "wrong"}))).isInstanceOf(SecurityException.class);
            assertThat(serve.connection().queryNames(new ObjectName("org.apache.camel:type=context,*"), null))
                    .as("with the password it works, and Camel's own MBeans are there").isNotEmpty();
        }
    }

    @Test
    void should_refuse_to_serve_a_job_as_a_worker_and_name_caravan_work_and_serve_the_others() throws Exception {
        TestHome home = new TestHome(dir.resolve("worker-home"));
        home.job("as-worker", Map.of("source.type", "folder", "source.root", dir.toString(), "target.type", "folder",
                "target.root", dir.resolve("worker-target").toString(), "caravan.worker", "true"));
        home.route("as-worker");
        home.job("plain", Map.of("source.type", "folder", "source.root", dir.toString(), "target.type", "folder",
                "target.root", dir.resolve("plain-target").toString()));
        home.route("plain");
        try (ServeProcess serve = ServeProcess.start(home, dir.resolve("worker.log"), ledger())) {
            serve.await(Duration.ofSeconds(20), () -> has(serve, "plain"));
            assertThat(serve.hasJob("as-worker")).isFalse();
            assertThat(serve.log()).contains("job as-worker is not served").contains("caravan.worker = true")
                    .contains("run 'caravan work as-worker' on each worker");
        }
    }

    @Test
    void should_not_disturb_a_running_job_when_another_job_or_its_own_file_is_edited() throws Exception {
        Path slowSource = dir.resolve("slow-source");
        Trees.generate(slowSource, 120, 6);
        Path otherSource = dir.resolve("other-source");
        Trees.generate(otherSource, 5, 7);
        TestHome home = new TestHome(dir.resolve("isolation-home"));
        home.job("slow", Map.of("source.type", "folder", "source.root", slowSource.toString(), "target.type", "folder",
                "target.root", dir.resolve("slow-target").toString(), "caravan.rate-limit", "30", "caravan.workers", "2"));
        home.job("other", Map.of("source.type", "folder", "source.root", otherSource.toString(), "target.type", "folder",
                "target.root", dir.resolve("other-target").toString()));
        Files.writeString(home.path().resolve("routes/slow.camel.yaml"), TestHome.templatedRoute("slow"));
        Files.writeString(home.path().resolve("routes/other.camel.yaml"), TestHome.templatedRoute("other"));
        try (ServeProcess serve = ServeProcess.start(home, dir.resolve("isolation.log"), ledger())) {
            JobControlMBean slow = serve.job("slow");
            slow.run();
            serve.await(Duration.ofSeconds(30), () -> slow.getDone() >= 10);
            assertThatThrownBy(slow::run).hasMessageContaining("already running");

            int otherLoads = reloads(serve, "other");
            Files.writeString(home.path().resolve("routes/other.camel.yaml"), skippingRoute("other"));
            serve.await(Duration.ofSeconds(20), () -> reloads(serve, "other") > otherLoads);
            Files.writeString(home.path().resolve("routes/slow.camel.yaml"), skippingRoute("slow"));
            serve.await(Duration.ofSeconds(20), () -> serve.log().contains("job slow is running: its edited route"));
            assertThat(slow.getState()).isEqualTo("RUNNING");

            serve.await(Duration.ofSeconds(60), () -> slow.getState().equals("IDLE"));
            assertThat(slow.getDone()).as("every item of the running job moved").isEqualTo(120);
            assertThat(slow.getFailed() + slow.getRejected()).isZero();
            serve.await(Duration.ofSeconds(20), () -> reloads(serve, "slow") == 1); // the deferred edit, once the run ended
            assertThat(Trees.ofFolder(dir.resolve("slow-target"))).isEqualTo(Trees.ofFolder(slowSource));
        }
    }

    @Test
    void should_stop_cleanly_on_sigterm_and_resume_after_a_restart() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.onDisk(Files.createDirectories(dir.resolve("sigterm-s3")));
             S3Client client = s3.client()) {
            s3.createBucket("sigterm");
            Path source = dir.resolve("sigterm-source");
            Trees.generate(source, 300, 9);
            TestHome home = new TestHome(dir.resolve("sigterm-home"));
            home.job("folder-to-s3", merge(Map.of("source.type", "folder", "source.root", source.toString(),
                    "caravan.rate-limit", "40", "caravan.workers", "4"), s3.settings("target", "sigterm")));
            Files.writeString(home.path().resolve("routes/folder-to-s3.camel.yaml"), TestHome.templatedRoute("folder-to-s3"));

            try (ServeProcess first = ServeProcess.start(home, dir.resolve("sigterm-1.log"), ledger())) {
                JobControlMBean job = first.job("folder-to-s3");
                job.run();
                first.await(Duration.ofSeconds(60), () -> job.getDone() >= 60);
                TestHome.Ran live = home.run("status", "folder-to-s3");
                assertThat(live.out()).as("status asks the serving process for the live run")
                        .contains("folder-to-s3: RUNNING in the serving process").contains(" done, ")
                        .containsPattern("run \\S+: [\\d,]+ listed");
                assertThat(first.terminate()).as(first.log()).isIn(0, 143); // 143: the JVM ends on SIGTERM after its hooks
                assertThat(first.log()).contains("shutting down").containsPattern("job folder-to-s3 finished with exit code 2");
            }
            long writtenBeforeRestart = s3.writes("sigterm");
            assertThat(writtenBeforeRestart).as("stopped mid-run").isLessThan(300);
            assertThat(ledgerCount("folder-to-s3")).as("every write that finished was recorded")
                    .isEqualTo(writtenBeforeRestart);

            try (ServeProcess second = ServeProcess.start(home, dir.resolve("sigterm-2.log"), ledger())) {
                assertThat(second.runToCompletion("folder-to-s3")).contains("exit code 0");
                assertThat(home.run("status", "folder-to-s3").out()).contains("folder-to-s3: IDLE in the serving process")
                        .contains("last: Run ").contains("exit code 0");
            }
            assertThat(Trees.ofBucket(client, "sigterm")).isEqualTo(Trees.ofFolder(source));
            assertThat(s3.writes("sigterm")).as("nothing copied twice").isEqualTo(300);
        }
    }

    @Test
    void should_publish_metrics_of_a_finished_run_and_turn_not_ready_when_the_ledger_is_down() throws Exception {
        Path source = dir.resolve("metrics-source");
        Trees.generate(source, 25, 4);
        TestHome home = new TestHome(dir.resolve("metrics-home"));
        home.job("folder-to-folder", Map.of("source.type", "folder", "source.root", source.toString(),
                "target.type", "folder", "target.root", dir.resolve("metrics-target").toString()));
        Files.writeString(home.path().resolve("routes/folder-to-folder.camel.yaml"), TestHome.templatedRoute("folder-to-folder"));
        EmbeddedPostgres own = LoopbackPostgres.builder().start();
        try (ServeProcess serve = ServeProcess.start(home, dir.resolve("metrics.log"),
                Map.of("caravan.ledger.url", own.getJdbcUrl("postgres", "postgres"), "caravan.ledger.user", "postgres",
                        "caravan.instance", "serve-1"))) {
            assertThat(home.caravan("trigger", "folder-to-folder", "--wait")).as("triggered from the command line")
                    .isZero();
            String metrics = serve.get("/observe/metrics").body();
            assertThat(metrics)
                    .contains("caravan_job_items{instance=\"serve-1\",job=\"folder-to-folder\",outcome=\"done\"} 25.0")
                    .contains("caravan_job_items{instance=\"serve-1\",job=\"folder-to-folder\",outcome=\"failed\"} 0.0");
            assertThat(serve.get("/observe/health/ready").statusCode()).isEqualTo(200);
            assertThat(serve.get("/observe/jolokia/read/io.caravan:type=Job,name=%22folder-to-folder%22/Done").body())
                    .contains("\"value\":25");
            assertThat(serve.get("/observe/jolokia/read/io.caravan:type=Job,name=%22folder-to-folder%22/Instance")
                    .body()).contains("\"value\":\"serve-1\"");

            own.close();
            serve.await(Duration.ofSeconds(30), () -> ready(serve) == 503);
            assertThat(serve.get("/observe/health/live").statusCode()).as("alive all the same").isEqualTo(200);
        }
    }

    @Test
    void should_run_on_its_schedule_and_pick_up_rotated_credentials() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.onDisk(Files.createDirectories(dir.resolve("rotate-s3")));
             S3Client client = s3.client()) {
            s3.createBucket("rotate");
            Path source = dir.resolve("rotate-source");
            Trees.generate(source, 20, 2);
            TestHome home = new TestHome(dir.resolve("rotate-home"));
            Map<String, String> job = merge(Map.of("source.type", "folder", "source.root", source.toString(),
                    "caravan.schedule", "0/2 * * * * ?"), s3.settings("target", "rotate"));
            home.job("scheduled", merge(job, Map.of("target.s3.secret-key", "expired-secret")));
            Files.writeString(home.path().resolve("routes/scheduled.camel.yaml"), TestHome.templatedRoute("scheduled"));
            try (ServeProcess serve = ServeProcess.start(home, dir.resolve("rotate.log"), ledger())) {
                serve.await(Duration.ofSeconds(30), () -> serve.log().contains("scheduled run of scheduled not started"));
                assertThat(serve.log()).contains("403").doesNotContain("expired-secret");
                assertThat(s3.writes("rotate")).isZero();

                home.job("scheduled", job); // the rotated secret
                serve.await(Duration.ofSeconds(30), () -> serve.log().contains("job scheduled settings reloaded"));
                serve.await(Duration.ofSeconds(30), () -> done(serve, "scheduled") == 20);
            }
            assertThat(Trees.ofBucket(client, "rotate")).isEqualTo(Trees.ofFolder(source));
        }
    }

    private static long done(ServeProcess serve, String job) {
        try {
            return serve.job(job).getDone();
        } catch (Exception e) {
            return -1;
        }
    }

    private static int ready(ServeProcess serve) {
        try {
            return serve.get("/observe/health/ready").statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static boolean has(ServeProcess serve, String job) {
        try {
            return serve.hasJob(job);
        } catch (Exception e) {
            return false;
        }
    }

    private static int settingsReloads(ServeProcess serve, String job) {
        return serve.log().split("job " + job + " settings reloaded", -1).length - 1;
    }

    private static int reloads(ServeProcess serve, String job) {
        return serve.log().split("job " + job + " reloaded from", -1).length - 1;
    }

    private static Map<String, String> ledger() {
        return Map.of("caravan.ledger.url", postgres.getJdbcUrl("postgres", "postgres"), "caravan.ledger.user", "postgres");
    }

    private static long ledgerCount(String job) throws Exception {
        try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM caravan_item WHERE status = 'done' AND job = '" + job + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /**
     * The job's route file in the Java DSL: the caravan-plan Kamelet as {@code <job>.plan}, and the transfer stage
     * written out by hand, {@code transferStep} (a filter, say) in front of it.
     */
    static String javaRoute(String job, String transferStep) {
        return """
                import org.apache.camel.builder.RouteBuilder;

                public class DroppedIn extends RouteBuilder {
                    @Override
                    public void configure() {
                        templatedRoute("caravan-plan").routeId("JOB.plan").parameter("job", "JOB");
                        from("direct:JOB.transfer").routeId("JOB.transfer").routeConfigurationId("caravan-errors")
                                STEP
                                .process("caravanTransfer")
                                .process("caravanRecord");
                    }
                }
                """.replace("JOB", job).replace("STEP", transferStep);
    }

    /** The same job, its transfer stage written out by hand with a filter in front. */
    static String skippingRoute(String job) {
        return TestHome.planRoute(job) + """
                - route:
                    id: JOB.transfer
                    routeConfigurationId: caravan-errors
                    from:
                      uri: direct:JOB.transfer
                      steps:
                        - filter:
                            simple: "${body.key} !endsWith '.skip'"
                            steps:
                              - process:
                                  ref: caravanTransfer
                              - process:
                                  ref: caravanRecord
                """.replace("JOB", job);
    }
}
