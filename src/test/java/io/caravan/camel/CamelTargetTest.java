package io.caravan.camel;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.caravan.item.ItemRejectedException;
import io.caravan.job.Timeouts;
import io.caravan.s3.S3Settings;
import io.caravan.testing.S3ProxyServer;
import io.caravan.testing.TestHome;
import io.caravan.testing.Trees;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Stream;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.putRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Camel producer endpoints as a job's target: camel-aws2-s3 verified by its ETags, camel-file written unverified. */
class CamelTargetTest {

    @TempDir
    Path dir;
    S3ProxyServer s3;
    TestHome home;
    Path tree;
    SortedMap<String, String> expected;

    @BeforeEach
    void setUp() throws Exception {
        s3 = S3ProxyServer.onDisk(Files.createDirectories(dir.resolve("s3")));
        tree = dir.resolve("tree");
        Trees.generate(tree, 200, 21);
        Files.writeString(tree.resolve("with space + plus %25 and ünïcødé.txt"), "awkward name");
        Files.write(tree.resolve("empty.bin"), new byte[0]);
        Trees.bigFile(tree.resolve("big/twenty.bin"), 20L << 20, 5);
        expected = Trees.ofFolder(tree);
        home = new TestHome(dir.resolve("home"));
    }

    @AfterEach
    void tearDown() throws Exception {
        s3.close();
    }

    private String s3Uri(String bucket) {
        return "aws2-s3://" + bucket + "?accessKey=RAW(" + S3ProxyServer.ACCESS_KEY + ")&secretKey=RAW("
                + S3ProxyServer.SECRET_KEY + ")&region=us-east-1&overrideEndpoint=true&uriEndpointOverride="
                + s3.endpoint() + "&forcePathStyle=true";
    }

    @Test
    void should_copy_a_tree_into_a_bucket_through_camel_aws2_s3_verified_by_etag() throws Exception {
        s3.createBucket("camel");
        home.route("folder-to-camel-s3").job("folder-to-camel-s3", Map.of("source.type", "folder",
                "source.root", tree.toString(), "target.type", "camel", "target.uri", s3Uri("camel")));

        assertThat(home.caravan("run", "folder-to-camel-s3")).isZero();
        try (S3Client client = s3.client()) {
            assertThat(Trees.ofBucket(client, "camel")).isEqualTo(expected);
        }
        String status = home.run("status", "folder-to-camel-s3").out();
        assertThat(status).contains(expected.size() + " done, 0 written unverified")
                .doesNotContain(S3ProxyServer.SECRET_KEY);
        assertThat(home.run("verify", "folder-to-camel-s3").out())
                .contains(expected.size() + " match, 0 missing, 0 differ, 0 pending, 0 extra").contains("0 unverified");
        try (Stream<Path> files = Files.walk(home.data())) {
            for (Path f : files.filter(f -> f.toString().endsWith(".json") || f.toString().endsWith(".jsonl"))
                    .toList()) {
                assertThat(Files.readString(f)).as(f.toString()).doesNotContain(S3ProxyServer.SECRET_KEY);
            }
        }

        s3.resetCounts();
        assertThat(home.caravan("run", "folder-to-camel-s3")).isZero();
        assertThat(s3.writes("camel")).as("an unchanged rerun writes nothing").isZero();

        try (S3Client client = s3.client()) {
            client.deleteObject(r -> r.bucket("camel").key("empty.bin"));
        }
        assertThat(home.run("verify", "folder-to-camel-s3").out()).contains("- empty.bin (missing");
    }

    @Test
    void should_write_through_camel_file_and_say_unverified_and_copy_only_what_changed() throws Exception {
        Path target = dir.resolve("copy");
        home.route("folder-to-camel-file").job("folder-to-camel-file", Map.of("source.type", "folder",
                "source.root", tree.toString(), "target.type", "camel", "target.uri", "file:" + target));

        assertThat(home.caravan("run", "folder-to-camel-file")).isZero();
        assertThat(Trees.ofFolder(target)).isEqualTo(expected);
        assertThat(home.run("status", "folder-to-camel-file").out())
                .contains("0 done, " + expected.size() + " written unverified");
        TestHome.Ran verify = home.run("verify", "folder-to-camel-file");
        assertThat(verify.exit()).as("nothing unverified counts as verified").isEqualTo(3);
        assertThat(verify.out()).contains("~ empty.bin (unverified: written").contains(expected.size() + " unverified");
        assertThat(home.run("verify", "folder-to-camel-file", "--checksum").out())
                .as("read back, the files match").contains(expected.size() + " match");

        Path changed = tree.resolve("with space + plus %25 and ünïcødé.txt");
        Files.writeString(changed, " and more", StandardOpenOption.APPEND);
        long before = Files.getLastModifiedTime(target.resolve("empty.bin")).toMillis();
        assertThat(home.caravan("run", "folder-to-camel-file")).isZero();
        assertThat(Files.readString(target.resolve("with space + plus %25 and ünïcødé.txt")))
                .isEqualTo("awkward name and more");
        assertThat(Files.getLastModifiedTime(target.resolve("empty.bin")).toMillis()).isEqualTo(before);
        try (Stream<Path> left = Files.walk(target)) {
            assertThat(left.filter(p -> p.getFileName().toString().startsWith(".caravan"))).isEmpty();
        }

        // what a write killed midway leaves (Camel's tempPrefix, as Caravan sets it): verify names it
        Files.writeString(target.resolve(".caravan-part-empty.bin"), "half a body");
        TestHome.Ran leftover = home.run("verify", "folder-to-camel-file", "--checksum");
        assertThat(leftover.exit()).as(leftover.output()).isNotZero();
        assertThat(leftover.out()).contains("+ .caravan-part-empty.bin (extra: the temporary file of a write that did not"
                + " finish");
    }

    /**
     * An {@code aws2-s3:} target sends its bodies as the built-in S3 target does: whole, under UNSIGNED-PAYLOAD, not
     * as aws-chunked bodies signed chunk by chunk with checksum trailers (camel-aws2-s3's own client over http), at
     * a third more client CPU and twice the server's. {@code target.s3.sign-payload=true} keeps Camel's client and
     * its signed chunks.
     */
    @Test
    void should_put_bodies_whole_and_unsigned_as_the_built_in_s3_target_does() throws Exception {
        s3.createBucket("camel");
        WireMockServer recorder = new WireMockServer(options().bindAddress("127.0.0.1").dynamicPort()
                .preserveHostHeader(true).gzipDisabled(true).jettyStopTimeout(0L));
        recorder.start();
        try {
            recorder.stubFor(any(anyUrl()).willReturn(aResponse().proxiedFrom(s3.endpoint())));
            String uri = s3Uri("camel").replace(s3.endpoint(), "http://127.0.0.1:" + recorder.port());
            byte[] bytes = "a body sent whole".getBytes(StandardCharsets.UTF_8);
            for (boolean signed : new boolean[] {false, true}) {
                try (CamelTarget camel = new CamelTarget(uri, "", new S3Settings("", "us-east-1", null, null, false,
                        4, signed, Timeouts.DEFAULTS))) {
                    assertThat(camel.write("whole-" + signed, bytes.length, new ByteArrayInputStream(bytes), null,
                            () -> { }).verified()).isTrue();
                }
            }
            List<LoggedRequest> puts = recorder.findAll(putRequestedFor(urlMatching("/camel/whole-.*")));
            assertThat(puts).hasSize(2);
            LoggedRequest unsigned = puts.stream().filter(p -> p.getUrl().endsWith("false")).findFirst().orElseThrow();
            assertThat(unsigned.getHeader("x-amz-content-sha256")).isEqualTo("UNSIGNED-PAYLOAD");
            assertThat(unsigned.containsHeader("Content-Encoding")).as("no aws-chunked body").isFalse();
            assertThat(unsigned.containsHeader("x-amz-trailer")).as("no checksum trailer").isFalse();
            assertThat(unsigned.getBodyAsString()).isEqualTo("a body sent whole");
            LoggedRequest signed = puts.stream().filter(p -> p.getUrl().endsWith("true")).findFirst().orElseThrow();
            assertThat(signed.getHeader("x-amz-content-sha256")).startsWith("STREAMING-");
        } finally {
            recorder.stop();
        }
    }

    /** A body that ends short, or whose checks fail at its end, leaves nothing at its key, and not half a file. */
    @Test
    void should_commit_nothing_through_camel_file_when_the_body_is_short_or_its_checks_fail() throws Exception {
        Path target = dir.resolve("guarded");
        try (CamelTarget camel = new CamelTarget("file:" + target, "")) {
            byte[] bytes = "twelve bytes".getBytes(StandardCharsets.UTF_8);
            assertThatThrownBy(() -> camel.write("short.txt", 20, new ByteArrayInputStream(bytes), null, () -> { }))
                    .isInstanceOf(ItemRejectedException.class).hasMessageContaining("fewer than the 20 bytes");
            assertThatThrownBy(() -> camel.write("checked.txt", bytes.length, new ByteArrayInputStream(bytes), null,
                    () -> {
                        throw new ItemRejectedException("transfer", "changed while it was copied");
                    })).isInstanceOf(ItemRejectedException.class).hasMessageContaining("changed while it was copied");
            assertThat(camel.write("fine.txt", bytes.length, new ByteArrayInputStream(bytes), null, () -> { }))
                    .satisfies(w -> assertThat(w.verified()).isFalse());
        }
        try (Stream<Path> files = Files.list(target)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("fine.txt");
        }
    }

    @Test
    void should_stop_with_exit_code_2_naming_the_uri_when_camel_cannot_make_the_endpoint() {
        home.route("folder-to-camel-bad").job("folder-to-camel-bad", Map.of("source.type", "folder",
                "source.root", tree.toString(), "target.type", "camel", "target.uri",
                "file:" + dir.resolve("bad") + "?noSuchOption=1"));
        TestHome.Ran run = home.run("run", "folder-to-camel-bad");
        assertThat(run.exit()).isEqualTo(2);
        assertThat(run.err() + latestReport("folder-to-camel-bad")).contains("target.uri").contains("noSuchOption");
    }

    private String latestReport(String job) {
        try (Stream<Path> runs = Files.list(home.data().resolve("runs/" + job))) {
            Path run = runs.sorted().reduce((a, b) -> b).orElseThrow();
            return Files.readString(run.resolve("report.json"));
        } catch (Exception e) {
            return "";
        }
    }
}
