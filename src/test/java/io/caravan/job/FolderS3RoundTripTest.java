package io.caravan.job;

import io.caravan.testing.S3ProxyServer;
import io.caravan.testing.TestHome;
import io.caravan.testing.Trees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;

import static io.caravan.testing.TestHome.merge;
import static org.assertj.core.api.Assertions.assertThat;

/** Folder → S3 → folder → folder, and S3 → S3: every byte arrives, in every direction. */
class FolderS3RoundTripTest {

    @TempDir
    static Path dir;
    static S3ProxyServer s3;
    static Path tree;
    static SortedMap<String, String> expected;

    @BeforeAll
    static void startServerAndBuildTree() throws Exception {
        s3 = S3ProxyServer.onDisk(Files.createDirectories(dir.resolve("s3")));
        tree = dir.resolve("tree");
        Trees.generate(tree, 5_000, 42);
        Trees.bigFile(tree.resolve("big/sixty-four.bin"), 64L << 20, 7);
        Files.writeString(tree.resolve("notes.txt"), "plain text");
        expected = Trees.ofFolder(tree);
    }

    @AfterAll
    static void stopServer() throws Exception {
        s3.close();
    }

    @Test
    void should_copy_a_tree_byte_for_byte_in_every_direction() throws Exception {
        TestHome home = new TestHome(dir.resolve("home"));
        s3.createBucket("round-trip");
        home.job("folder-to-s3", merge(Map.of("source.type", "folder", "source.root", tree.toString()),
                s3.settings("target", "round-trip")));
        assertThat(home.caravan("run", "folder-to-s3")).isZero();
        assertThat(expected).hasSize(5_002).containsKey("big/sixty-four.bin");
        try (S3Client client = s3.client()) {
            assertThat(Trees.ofBucket(client, "round-trip")).isEqualTo(expected);
            HeadObjectResponse big = client.headObject(r -> r.bucket("round-trip").key("big/sixty-four.bin"));
            assertThat(big.eTag()).as("above the threshold the file went in parts").contains("-");
            HeadObjectResponse text = client.headObject(r -> r.bucket("round-trip").key("notes.txt"));
            assertThat(text.contentType()).startsWith("text/plain");
            assertThat(text.metadata()).containsKey("mtime");
        }

        Path back = dir.resolve("back");
        home.job("s3-to-folder", merge(s3.settings("source", "round-trip"),
                Map.of("target.type", "folder", "target.root", back.toString())));
        assertThat(home.caravan("run", "s3-to-folder")).isZero();
        assertThat(Trees.ofFolder(back)).isEqualTo(expected);

        Path copy = dir.resolve("copy");
        home.job("folder-to-folder", Map.of("source.type", "folder", "source.root", back.toString(),
                "target.type", "folder", "target.root", copy.toString()));
        assertThat(home.caravan("run", "folder-to-folder")).isZero();
        assertThat(Trees.ofFolder(copy)).isEqualTo(expected);

        s3.createBucket("round-trip-copy");
        home.job("s3-to-s3", merge(merge(s3.settings("source", "round-trip"), s3.settings("target", "round-trip-copy")),
                Map.of("target.prefix", "copied/")));
        assertThat(home.caravan("run", "s3-to-s3")).isZero();
        try (S3Client client = s3.client()) {
            SortedMap<String, String> copied = Trees.ofBucket(client, "round-trip-copy");
            assertThat(copied).hasSize(expected.size());
            expected.forEach((key, sha) -> assertThat(copied).containsEntry("copied/" + key, sha));
            HeadObjectResponse text = client.headObject(r -> r.bucket("round-trip-copy").key("copied/notes.txt"));
            assertThat(text.contentType()).as("content type carried over").startsWith("text/plain");
            assertThat(text.metadata()).as("user metadata carried over").containsKey("mtime");
        }
        assertThat(home.caravan("verify", "s3-to-s3")).isZero();

        Path part = dir.resolve("part");
        home.job("s3-to-folder", merge(merge(s3.settings("source", "round-trip"), Map.of("source.prefix", "level-3/")),
                Map.of("target.type", "folder", "target.root", part.toString(), "target.prefix", "three/")));
        assertThat(home.caravan("run", "s3-to-folder")).isZero();
        SortedMap<String, String> expectedPart = new java.util.TreeMap<>();
        expected.forEach((key, sha) -> {
            if (key.startsWith("level-3/")) {
                expectedPart.put("three/" + key.substring("level-3/".length()), sha);
            }
        });
        assertThat(expectedPart).isNotEmpty();
        assertThat(Trees.ofFolder(part)).as("source prefix → target prefix").isEqualTo(expectedPart);
        assertThat(home.caravan("verify", "folder-to-folder", "--checksum")).isZero();
    }
}
