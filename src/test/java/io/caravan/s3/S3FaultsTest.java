package io.caravan.s3;

import com.github.tomakehurst.wiremock.http.Request;
import io.caravan.testing.FaultProxy;
import io.caravan.testing.FaultProxy.Kind;
import io.caravan.testing.FaultTable;
import io.caravan.testing.Ledgers;
import io.caravan.testing.Rejects;
import io.caravan.testing.S3ProxyServer;
import io.caravan.testing.TestHome;
import io.caravan.testing.Trees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import software.amazon.awssdk.services.s3.S3Client;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * S3 faults between Caravan and S3Proxy, injected by a WireMock proxy into about 5% of the object requests of a
 * 1,000-file run, one kind of fault per run; a tenth of the faulted objects fail on every attempt. The run must end
 * with every persistently failed item named (exit 3) and nothing else missing; nothing at the target may differ
 * from the source; every item the ledger calls done must be at the target and equal. With the fault gone, a rerun
 * completes. Each run adds a row to the fault table (bench/faults.sh).
 */
class S3FaultsTest {

    private static final int ITEMS = 1_000;
    private static final String SOURCE_BUCKET = "fault-source";

    private static Path dir;
    private static S3ProxyServer s3;
    private static Path tree;
    private static SortedMap<String, String> expected;

    @BeforeAll
    static void startServerAndBuildTree() throws Exception {
        dir = Files.createTempDirectory("caravan-s3-faults");
        s3 = S3ProxyServer.inMemory();
        tree = dir.resolve("tree");
        Trees.generate(tree, ITEMS, 2020);
        expected = Trees.ofFolder(tree);
        s3.createBucket(SOURCE_BUCKET);
        TestHome seed = new TestHome(dir.resolve("seed"));
        seed.route("seed").job("seed", merge(Map.of("source.type", "folder", "source.root", tree.toString()),
                s3.settings("target", SOURCE_BUCKET)));
        assertThat(seed.caravan("run", "seed")).isZero();
    }

    @AfterAll
    static void stopServer() throws Exception {
        s3.close();
    }

    @ParameterizedTest(name = "folder -> S3, {0}")
    @EnumSource(value = Kind.class, mode = EnumSource.Mode.EXCLUDE, names = {"TRUNCATED_BODY", "FLIPPED_BYTE"})
    void should_upload_every_file_equal_through_the_fault(Kind kind) throws Exception {
        String bucket = "up-" + kind.name().toLowerCase().replace('_', '-');
        s3.createBucket(bucket);
        try (FaultProxy proxy = FaultProxy.start(s3.endpoint(), kind, objectRequest("PUT", bucket), 20, 10, 2_500)) {
            TestHome home = new TestHome(dir.resolve("home-" + bucket));
            Map<String, String> settings = merge(Map.of("source.type", "folder", "source.root", tree.toString()),
                    s3.settings("target", bucket));
            settings.put("target.s3.endpoint", proxy.url());
            home.route("up").job("up", withQuickRetries(settings));

            int exit = home.caravan("run", "up");

            Set<String> persistent = keys(proxy.persistentlyFaulted(), bucket);
            assertThat(persistent).as("some objects fail on every attempt").isNotEmpty();
            assertThat(exit).isEqualTo(3);
            Map<String, String> failed = failedItems(home, "up");
            assertThat(failed.keySet()).as("every item that failed is named, and only those")
                    .isEqualTo(persistent);
            SortedMap<String, String> atTarget = bucketContents(bucket);
            long corrupt = differing(atTarget);
            SortedSet<String> done = Ledgers.doneKeys(home.data(), "up");
            long lost = lost(done, failed.keySet(), atTarget);
            assertThat(corrupt).as("objects at the target that differ from their file").isZero();
            assertThat(lost).as("items done but not at the target, or neither done nor failed").isZero();
            long retried = keys(proxy.faultedRequests(), bucket).stream().filter(done::contains).count();
            FaultTable.record("folder -> S3 (PUT)", kind, ITEMS, proxy.faulted(), retried, failed.size(), lost,
                    corrupt);

            proxy.heal();
            assertThat(home.caravan("run", "up")).as("the rerun completes").isZero();
            assertThat(bucketContents(bucket)).isEqualTo(expected);
            assertThat(Ledgers.doneKeys(home.data(), "up")).isEqualTo(expected.keySet());
        }
    }

    @ParameterizedTest(name = "S3 -> folder, {0}")
    @EnumSource(value = Kind.class, names = {"TRUNCATED_BODY", "RESET_MID_RESPONSE", "STALL", "SLOW_DOWN_503",
            "FLIPPED_BYTE"})
    void should_download_every_object_equal_through_the_fault(Kind kind) throws Exception {
        Path target = dir.resolve("down-" + kind.name().toLowerCase());
        try (FaultProxy proxy = FaultProxy.start(s3.endpoint(), kind, objectRequest("GET", SOURCE_BUCKET), 20, 10,
                2_500)) {
            TestHome home = new TestHome(dir.resolve("home-down-" + kind.name().toLowerCase()));
            Map<String, String> settings = merge(s3.settings("source", SOURCE_BUCKET),
                    Map.of("target.type", "folder", "target.root", target.toString()));
            settings.put("source.s3.endpoint", proxy.url());
            home.route("down").job("down", withQuickRetries(settings));

            int exit = home.caravan("run", "down");

            Set<String> persistent = keys(proxy.persistentlyFaulted(), SOURCE_BUCKET);
            assertThat(persistent).isNotEmpty();
            assertThat(exit).isEqualTo(3);
            Map<String, String> failed = failedItems(home, "down");
            assertThat(failed.keySet()).isEqualTo(persistent);
            SortedMap<String, String> atTarget = Files.exists(target) ? Trees.ofFolder(target) : new java.util.TreeMap<>();
            long corrupt = differing(atTarget);
            SortedSet<String> done = Ledgers.doneKeys(home.data(), "down");
            long lost = lost(done, failed.keySet(), atTarget);
            assertThat(corrupt).as("files that differ from their object").isZero();
            assertThat(lost).isZero();
            long retried = keys(proxy.faultedRequests(), SOURCE_BUCKET).stream().filter(done::contains).count();
            FaultTable.record("S3 -> folder (GET)", kind, ITEMS, proxy.faulted(), retried, failed.size(), lost,
                    corrupt);

            proxy.heal();
            assertThat(home.caravan("run", "down")).isZero();
            assertThat(Trees.ofFolder(target)).isEqualTo(expected);
        }
    }

    /**
     * A server whose ETags are not MD5s (MinIO, encrypting): every object is failed by name, pointing at the setting,
     * and nothing is written; with {@code source.s3.check-etag = false} the same run copies them all.
     */
    @Test
    void should_fail_objects_whose_etag_is_no_md5_unless_the_check_is_turned_off() throws Exception {
        Path target = dir.resolve("down-opaque-etags");
        try (S3ProxyServer opaque = S3ProxyServer.inMemoryWithOpaqueEtags()) {
            opaque.createBucket("opaque");
            TestHome seed = new TestHome(dir.resolve("seed-opaque-etags"));
            seed.route("seed").job("seed", merge(Map.of("source.type", "folder", "source.root", tree.toString(),
                    "filter.include", "level-0/données-1*/**"), opaque.settings("target", "opaque")));
            assertThat(seed.caravan("run", "seed")).isZero();
            SortedMap<String, String> seeded;
            try (S3Client client = opaque.client()) {
                seeded = Trees.ofBucket(client, "opaque");
            }
            assertThat(seeded).isNotEmpty();

            TestHome home = new TestHome(dir.resolve("home-opaque-etags"));
            Map<String, String> settings = merge(opaque.settings("source", "opaque"),
                    Map.of("target.type", "folder", "target.root", target.toString()));
            home.route("down").job("down", withQuickRetries(settings));
            assertThat(home.caravan("run", "down")).isEqualTo(3);
            Map<String, String> failed = failedItems(home, "down");
            assertThat(failed.keySet()).isEqualTo(seeded.keySet());
            assertThat(failed.values()).allSatisfy(reason -> assertThat(reason)
                    .contains("source.s3.check-etag = false"));
            assertThat(Files.exists(target) ? Trees.ofFolder(target) : Map.of()).isEmpty();

            settings.put("source.s3.check-etag", "false");
            home.job("down", withQuickRetries(settings));
            assertThat(home.caravan("run", "down")).isZero();
            assertThat(Trees.ofFolder(target)).isEqualTo(seeded);
        }
    }

    /** Requests for one object of the bucket (not the bucket itself, nor a listing). */
    private static Predicate<Request> objectRequest(String method, String bucket) {
        String prefix = "/" + bucket + "/";
        return r -> r.getMethod().value().equals(method) && r.getUrl().startsWith(prefix)
                && r.getUrl().length() > prefix.length() && !r.getUrl().contains("?");
    }

    /** "PUT /bucket/a%20b.txt" → "a b.txt". */
    private static Set<String> keys(Set<String> requests, String bucket) {
        String prefix = "/" + bucket + "/";
        return requests.stream().map(r -> r.substring(r.indexOf(' ') + 1))
                .map(url -> URLDecoder.decode(url.substring(prefix.length()).replace("+", "%2B"),
                        StandardCharsets.UTF_8))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static Map<String, String> failedItems(TestHome home, String job) throws Exception {
        Map<String, String> failed = new HashMap<>();
        Rejects.ofLatestRun(home.data(), job).forEach((key, line) -> {
            assertThat(line.get("status").asText()).as(key).isEqualTo("failed");
            failed.put(key, line.get("reason").asText());
        });
        return failed;
    }

    private static SortedMap<String, String> bucketContents(String bucket) {
        try (S3Client client = s3.client()) {
            return Trees.ofBucket(client, bucket);
        }
    }

    /** Items at the target whose bytes are not the source's (or that the source does not have). */
    private static long differing(SortedMap<String, String> atTarget) {
        return atTarget.entrySet().stream().filter(e -> !e.getValue().equals(expected.get(e.getKey()))).count();
    }

    /** Items done but not at the target (or not equal there), and items that ended neither done nor failed. */
    private static long lost(Set<String> done, Set<String> failed, SortedMap<String, String> atTarget) {
        long doneButAbsent = done.stream().filter(k -> !expected.get(k).equals(atTarget.get(k))).count();
        long unaccounted = expected.keySet().stream().filter(k -> !done.contains(k) && !failed.contains(k)).count();
        return doneButAbsent + unaccounted;
    }

    private static Map<String, String> withQuickRetries(Map<String, String> settings) {
        settings.put("caravan.retries", "1");
        settings.put("caravan.retry-delay-ms", "50");
        settings.put("caravan.timeout.read-idle", "1s");
        settings.put("caravan.workers", "16");
        return settings;
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        Map<String, String> all = new HashMap<>(a);
        all.putAll(b);
        return all;
    }
}
