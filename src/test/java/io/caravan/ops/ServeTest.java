package io.caravan.ops;

import io.caravan.testing.ServeProcess;
import io.caravan.testing.TestHome;
import io.caravan.testing.Trees;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.remote.JMXConnectorFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A real {@code caravan serve} process, driven over a real JMX connector (RMI on loopback). */
class ServeTest {

    @TempDir
    static Path dir;
    static EmbeddedPostgres postgres;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
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
            Files.writeString(home.path().resolve("routes/drop-in.camel.yaml"), templated("drop-in"));
            serve.await(Duration.ofSeconds(20), () -> has(serve, "drop-in"));

            assertThat(serve.runToCompletion("drop-in")).contains("exit code 0");
            assertThat(serve.job("drop-in").getDone()).isEqualTo(41);
            assertThat(Trees.ofFolder(target)).isEqualTo(Trees.ofFolder(source));
            assertThat(ledgerCount("drop-in")).as("the ledger shows its items").isEqualTo(41);

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
    void should_refuse_remote_jmx_without_credentials() throws Exception {
        TestHome home = new TestHome(dir.resolve("auth-home"));
        try (ServeProcess serve = ServeProcess.start(home, dir.resolve("auth.log"), ledger())) {
            assertThatThrownBy(() -> JMXConnectorFactory.connect(serve.url()).getMBeanServerConnection())
                    .isInstanceOf(SecurityException.class);
            assertThatThrownBy(() -> JMXConnectorFactory.connect(serve.url(), Map.of("jmx.remote.credentials",
                    new String[]{ServeProcess.USER, "wrong"}))).isInstanceOf(SecurityException.class);
            assertThat(serve.connection().getMBeanCount()).as("with the password it works").isPositive();
        }
    }

    private static boolean has(ServeProcess serve, String job) {
        try {
            return serve.hasJob(job);
        } catch (Exception e) {
            return false;
        }
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

    static String templated(String job) {
        return """
                - templatedRoute:
                    routeTemplateRef: caravan-plan
                    routeId: JOB.plan
                    parameters:
                      - name: job
                        value: JOB
                - templatedRoute:
                    routeTemplateRef: caravan-transfer
                    routeId: JOB.transfer
                    parameters:
                      - name: job
                        value: JOB
                """.replace("JOB", job);
    }

    /** The same job, its transfer stage written out by hand with a filter in front. */
    static String skippingRoute(String job) {
        return """
                - templatedRoute:
                    routeTemplateRef: caravan-plan
                    routeId: JOB.plan
                    parameters:
                      - name: job
                        value: JOB
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
