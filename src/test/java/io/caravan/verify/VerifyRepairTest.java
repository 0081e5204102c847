package io.caravan.verify;

import io.caravan.target.FolderTarget;
import io.caravan.testing.S3ProxyServer;
import io.caravan.testing.TestHome;
import io.caravan.testing.Trees;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.TimeUnit;

import static io.caravan.testing.TestHome.merge;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What verify finds, a run repairs: objects deleted at the target, and objects damaged in place on the server's disk,
 * which the server still reports with the ETag it stored when they were whole.
 */
class VerifyRepairTest {

    private static final String BUCKET = "repaired";

    @TempDir
    static Path dir;
    static S3ProxyServer s3;
    static Path storage;

    @BeforeAll
    static void startServer() throws Exception {
        storage = Files.createDirectories(dir.resolve("s3"));
        s3 = S3ProxyServer.onDisk(storage);
    }

    @AfterAll
    static void stopServer() throws Exception {
        s3.close();
    }

    @Test
    void should_find_deleted_and_damaged_objects_by_download_and_copy_exactly_those_after_repair() throws Exception {
        Path tree = dir.resolve("tree");
        Trees.generate(tree, 300, 11);
        SortedMap<String, String> expected = Trees.ofFolder(tree);
        s3.createBucket(BUCKET);
        TestHome home = new TestHome(dir.resolve("home"));
        home.job("folder-to-s3", merge(Map.of("source.type", "folder", "source.root", tree.toString()),
                s3.settings("target", BUCKET)));
        assertThat(home.caravan("run", "folder-to-s3")).isZero();

        List<String> keys = List.copyOf(expected.keySet()).stream().filter(k -> sizeOf(tree, k) > 16).toList();
        List<String> deleted = List.of(keys.get(3), keys.get(50), keys.get(120));
        List<String> damaged = List.of(keys.get(7), keys.get(200));
        try (S3Client client = s3.client()) {
            deleted.forEach(k -> client.deleteObject(r -> r.bucket(BUCKET).key(k)));
        }
        for (String key : damaged) {
            overwriteInPlace(storage.resolve(BUCKET).resolve(key));
        }

        TestHome.Ran trusting = home.run("verify", "folder-to-s3", "--checksum");
        assertThat(trusting.exit()).as(trusting.output()).isEqualTo(3);
        assertThat(trusting.out()).as("the stored ETags still describe the damaged objects as whole")
                .doesNotContain(damaged.get(0)).doesNotContain(damaged.get(1));

        TestHome.Ran downloaded = home.run("verify", "folder-to-s3", "--download");
        assertThat(downloaded.exit()).as(downloaded.output()).isEqualTo(3);
        for (String key : deleted) {
            assertThat(downloaded.out()).contains("- " + key + " ");
        }
        for (String key : damaged) {
            assertThat(downloaded.out()).containsPattern("\\* " + java.util.regex.Pattern.quote(key) + " .*read at the target");
        }

        TestHome.Ran repair = home.run("verify", "folder-to-s3", "--download", "--repair");
        assertThat(repair.out()).as(repair.output()).contains("5 marked pending");
        TestHome.Ran status = home.run("status", "folder-to-s3");
        assertThat(status.out()).as(status.output()).contains("5 pending repair");

        s3.resetCounts();
        assertThat(home.caravan("run", "folder-to-s3")).isZero();
        assertThat(s3.writes(BUCKET)).as("exactly the five found").isEqualTo(5);
        try (S3Client client = s3.client()) {
            assertThat(Trees.ofBucket(client, BUCKET)).isEqualTo(expected);
        }
        TestHome.Ran clean = home.run("verify", "folder-to-s3", "--download");
        assertThat(clean.exit()).as(clean.output()).isZero();
    }

    @Test
    void should_change_nothing_without_repair_and_copy_a_file_deleted_at_a_folder_target_after_it() throws Exception {
        Path tree = dir.resolve("small");
        Trees.generate(tree, 20, 5);
        Path target = dir.resolve("small-copy");
        TestHome home = new TestHome(dir.resolve("home-small"));
        home.job("folder-to-folder", Map.of("source.type", "folder", "source.root", tree.toString(),
                "target.type", "folder", "target.root", target.toString()));
        assertThat(home.caravan("run", "folder-to-folder")).isZero();
        String gone = Trees.ofFolder(tree).firstKey();
        Files.delete(target.resolve(gone));

        assertThat(home.run("verify", "folder-to-folder").out()).contains("- " + gone + " ");
        assertThat(home.run("status", "folder-to-folder").out()).as("a verify without --repair changes nothing")
                .contains("0 pending repair");
        assertThat(home.caravan("run", "folder-to-folder")).isZero();
        assertThat(Files.exists(target.resolve(gone))).as("the ledger still says done").isFalse();

        assertThat(home.run("verify", "folder-to-folder", "--repair").out()).contains("1 marked pending");
        assertThat(home.caravan("run", "folder-to-folder")).isZero();
        assertThat(Trees.ofFolder(target)).isEqualTo(Trees.ofFolder(tree));
    }

    /** A run killed while it writes a file leaves its hidden temporary file: verify names it, as no item. */
    @Test
    void should_name_the_temporary_file_a_killed_run_left_at_a_folder_target() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("big"));
        Files.write(tree.resolve("big.bin"), new byte[4 << 20]);
        Path target = dir.resolve("big-copy");
        TestHome home = new TestHome(dir.resolve("home-big"));
        home.job("folder-to-folder", Map.of("source.type", "folder", "source.root", tree.toString(),
                "target.type", "folder", "target.root", target.toString(), "caravan.bandwidth-limit", "1MiB"));
        Path temporary = FolderTarget.temporaryFor(target.resolve("big.bin"));
        Process run = home.start(dir.resolve("killed.log"), List.of(), "run", "folder-to-folder");
        long deadline = System.currentTimeMillis() + 60_000;
        while (!Files.exists(temporary) && run.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(run.isAlive()).as(TestHome.logOf(dir.resolve("killed.log"))).isTrue();
        run.destroyForcibly();
        assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(temporary).exists();

        TestHome.Ran verify = home.run("verify", "folder-to-folder");
        assertThat(verify.exit()).as(verify.output()).isNotZero();
        assertThat(verify.out()).contains("+ " + temporary.getFileName() + " ", "a write that did not finish",
                "- big.bin ");
    }

    /** A run killed between the parts of a multipart upload leaves the upload open: verify names it. */
    @Test
    void should_name_the_unfinished_multipart_upload_a_killed_run_left_in_the_bucket() throws Exception {
        Path tree = Files.createDirectories(dir.resolve("big-up"));
        Files.write(tree.resolve("big.bin"), new byte[24 << 20]);
        s3.createBucket("killed-multipart");
        TestHome home = new TestHome(dir.resolve("home-big-up"));
        home.job("folder-to-s3", merge(Map.of("source.type", "folder", "source.root", tree.toString(),
                "caravan.multipart-threshold", "5MiB", "caravan.part-size", "5MiB", "caravan.part-concurrency", "1",
                "caravan.bandwidth-limit", "4MiB"), s3.settings("target", "killed-multipart")));
        Process run = home.start(dir.resolve("killed-up.log"), List.of(), "run", "folder-to-s3");
        long deadline = System.currentTimeMillis() + 60_000;
        while (s3.writes("killed-multipart") == 0 && run.isAlive() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertThat(run.isAlive()).as(TestHome.logOf(dir.resolve("killed-up.log"))).isTrue();
        run.destroyForcibly();
        assertThat(run.waitFor(30, TimeUnit.SECONDS)).isTrue();

        TestHome.Ran verify = home.run("verify", "folder-to-s3");
        assertThat(verify.exit()).as(verify.output()).isNotZero();
        assertThat(verify.out()).contains("+ big.bin ", "an unfinished multipart upload", "- big.bin ");
    }

    private static long sizeOf(Path tree, String key) {
        try {
            return Files.size(tree.resolve(key));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Bit rot: the same length, other bytes, written without the server knowing. */
    private static void overwriteInPlace(Path file) throws Exception {
        assertThat(file).exists();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap("damaged!".getBytes()), 8);
        }
    }
}
