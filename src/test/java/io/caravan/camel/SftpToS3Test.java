package io.caravan.camel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.testing.Ledgers;
import io.caravan.testing.S3ProxyServer;
import io.caravan.testing.SftpServer;
import io.caravan.testing.TestHome;
import io.caravan.testing.Trees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipped sftp-to-s3 job, process-level: an SFTP server (MINA SSHD) into S3 (S3Proxy) through camel-ftp and
 * camel-aws2-s3 endpoints, with awkward names, an empty file and a file of 200 MiB read by a JVM of 256 MiB; killed
 * mid-run and resumed; rerun without a body opened on the server; checked by {@code caravan verify}.
 */
class SftpToS3Test {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JOB = "sftp-to-s3";
    private static final String BUCKET = "sftp-archive";
    private static final long BIG = 200L << 20;
    private static final List<String> SMALL_HEAP = List.of("-Xmx256m");

    @TempDir
    Path dir;

    @Test
    void should_copy_an_sftp_folder_into_s3_survive_a_kill_skip_it_all_on_rerun_and_verify() throws Exception {
        Path outbox = dir.resolve("served/outbox");
        Trees.generate(outbox, 496, 19); // unicode and spaced names, every tenth file empty
        Files.writeString(outbox.resolve("plus+sign.txt"), "a plus");
        Files.writeString(outbox.resolve("per%cent 50%.txt"), "a percent");
        Files.write(outbox.resolve("empty top.bin"), new byte[0]);
        Trees.bigFile(outbox.resolve("big/two hundred MiB ü.bin"), BIG, 7);
        SortedMap<String, String> expected = Trees.ofFolder(outbox);
        assertThat(expected).hasSize(500);

        try (SftpServer sftp = new SftpServer(dir.resolve("served"), dir.resolve("host.key"));
             S3ProxyServer s3 = S3ProxyServer.onDisk(Files.createDirectories(dir.resolve("s3")));
             S3Client client = s3.client()) {
            s3.createBucket(BUCKET);
            TestHome home = new TestHome(dir.resolve("home"));
            home.job(JOB, Map.of("source.type", "camel", "source.uri", sftp.uri("outbox"), "target.type", "camel",
                    "target.uri", "aws2-s3://" + BUCKET + "?accessKey=RAW(" + S3ProxyServer.ACCESS_KEY
                            + ")&secretKey=RAW(" + S3ProxyServer.SECRET_KEY + ")&region=us-east-1"
                            + "&overrideEndpoint=true&uriEndpointOverride=" + s3.endpoint() + "&forcePathStyle=true",
                    "caravan.workers", "4"));

            Process killed = home.start(dir.resolve("killed.log"), List.of(), SMALL_HEAP, "run", JOB);
            long deadline = System.currentTimeMillis() + 60_000;
            while (s3.writes(BUCKET) < 60 && killed.isAlive() && System.currentTimeMillis() < deadline) {
                Thread.sleep(5);
            }
            assertThat(killed.isAlive()).as("the first run is still going when killed (log: %s)",
                    Files.readString(dir.resolve("killed.log"))).isTrue();
            killed.destroyForcibly(); // SIGKILL
            assertThat(killed.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(s3.writes(BUCKET)).isLessThan(expected.size());

            Process resumed = home.start(dir.resolve("resumed.log"), List.of(), SMALL_HEAP, "run", JOB);
            assertThat(resumed.waitFor(180, TimeUnit.SECONDS)).isTrue();
            String resumedLog = Files.readString(dir.resolve("resumed.log"));
            assertThat(resumed.exitValue()).as(resumedLog).isZero();
            assertThat(Trees.ofBucket(client, BUCKET)).as("every object equals its file").isEqualTo(expected);
            assertThat(Ledgers.doneKeys(home.data(), JOB)).as("the ledger's done keys are the bucket's keys")
                    .isEqualTo(new TreeSet<>(expected.keySet()));
            assertThat(resumedLog + Files.readString(dir.resolve("killed.log"))).doesNotContain(SftpServer.PASSWORD)
                    .doesNotContain(S3ProxyServer.SECRET_KEY);

            long writes = s3.writes(BUCKET);
            long reads = sftp.reads();
            TestHome.Ran rerun = home.run("run", JOB);
            assertThat(rerun.exit()).as(rerun.output()).isZero();
            JsonNode plan = latestReport(home).get("plan");
            assertThat(plan.at("/unchanged/items").asLong()).isEqualTo(expected.size());
            assertThat(plan.at("/new/items").asLong() + plan.at("/changed/items").asLong()).isZero();
            assertThat(s3.writes(BUCKET)).as("the rerun wrote nothing").isEqualTo(writes);
            assertThat(sftp.reads()).as("the rerun opened no file on the server").isEqualTo(reads);
            assertThat(rerun.output()).doesNotContain(SftpServer.PASSWORD)
                    .as("the report says what camel-ftp does not list").contains("not listed: names that start with '.'");
            assertReportsHideThePassword(home);

            TestHome.Ran verified = home.run("verify", JOB);
            assertThat(verified.exit()).as(verified.output()).isZero();
            String removed = "plus+sign.txt";
            client.deleteObject(r -> r.bucket(BUCKET).key(removed));
            TestHome.Ran missing = home.run("verify", JOB);
            assertThat(missing.out()).contains("- " + removed);
            assertThat(missing.exit()).isNotZero();
        }
    }


    private static void assertReportsHideThePassword(TestHome home) throws Exception {
        try (Stream<Path> files = Files.walk(home.data())) {
            for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.toString().contains("ledger"))
                    .toList()) {
                try (InputStream in = Files.newInputStream(f)) {
                    assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).as(f.toString())
                            .doesNotContain(SftpServer.PASSWORD);
                }
            }
        }
    }

    private static JsonNode latestReport(TestHome home) throws Exception {
        try (Stream<Path> runs = Files.list(home.data().resolve("runs/" + JOB))) {
            Path run = runs.sorted().reduce((a, b) -> b).orElseThrow();
            return JSON.readTree(run.resolve("report.json").toFile());
        }
    }
}
