package io.caravan.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.target.FolderTarget;
import io.caravan.testing.Rejects;
import io.caravan.testing.S3ProxyServer;
import io.caravan.testing.TestHome;
import io.caravan.testing.Trees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.caravan.testing.TestHome.merge;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Bad input never stops the job and never costs another item: each bad item lands in the rejects file with
 * its reason, everything else migrates, and the exit code is 3.
 */
class BadInputTest {

    @TempDir
    Path dir;

    @Test
    void should_reject_each_bad_file_with_its_reason_and_migrate_the_rest() throws Exception {
        Path source = dir.resolve("source");
        Path target = dir.resolve("target");
        for (int i = 0; i < 24; i++) {
            Files.createDirectories(source.resolve("good"));
            Files.writeString(source.resolve("good/file-" + i + ".txt"), "good " + i);
        }
        Path unreadable = Files.writeString(source.resolve("unreadable.txt"), "secret");
        Files.setPosixFilePermissions(unreadable, PosixFilePermissions.fromString("---------"));
        Files.createDirectories(source.resolve("loop"));
        Files.createSymbolicLink(source.resolve("loop/again"), Path.of(".."));
        bash("printf 'latin-1' > \"$0\"/$'caf\\xe9.txt'", source);
        TestHome home = new TestHome(dir.resolve("home"));
        home.job("folder-to-folder", Map.of("source.type", "folder", "source.root", source.toString(),
                "target.type", "folder", "target.root", target.toString(),
                "caravan.workers", "1", "caravan.rate-limit", "4"));

        // As root, the child runs without the capabilities that let root read any file.
        List<String> unprivileged = isRoot()
                ? List.of("setpriv", "--bounding-set=-dac_override,-dac_read_search", "--") : List.of();
        Process run = home.start(dir.resolve("run.log"), unprivileged, "run", "folder-to-folder");
        // Everything is listed at once; transfers go at 4 a second. Once the first file has arrived,
        // two files still waiting are spoiled: one vanishes, one grows.
        List<String> waiting = waitForFirstArrivalThenPickWaiting(target, source, run);
        Files.delete(source.resolve(waiting.get(0)));
        Files.writeString(source.resolve(waiting.get(1)), " and more", StandardOpenOption.APPEND);
        assertThat(run.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String log = Files.readString(dir.resolve("run.log"));
        assertThat(run.exitValue()).as(log).isEqualTo(3);

        Map<String, JsonNode> rejects = Rejects.ofLatestRun(home.data(), "folder-to-folder");
        assertThat(rejects).as(log).containsKeys("unreadable.txt", "loop/again", waiting.get(0), waiting.get(1));
        assertThat(rejects.get("unreadable.txt").get("reason").asText()).contains("permission denied");
        assertThat(rejects.get("loop/again").get("reason").asText()).contains("symbolic link loop");
        assertThat(rejects.keySet()).anySatisfy(k -> assertThat(k).startsWith("caf"));
        assertThat(rejects.values()).anySatisfy(r -> assertThat(r.get("reason").asText())
                .isEqualTo("file name is not valid UTF-8"));
        assertThat(rejects.get(waiting.get(0)).get("reason").asText()).contains("vanished");
        assertThat(rejects.get(waiting.get(1)).get("reason").asText()).contains("changed while it was copied");
        assertThat(rejects).hasSize(5);
        rejects.values().forEach(r -> assertThat(r.get("stage").asText()).isNotEmpty());

        SortedMap<String, String> migrated = Trees.ofFolder(target);
        SortedMap<String, String> good = new TreeMap<>(Trees.ofFolder(source.resolve("good")));
        good.remove(waiting.get(1).substring("good/".length()));
        good.forEach((k, sha) -> assertThat(migrated).containsEntry("good/" + k, sha));
        assertThat(migrated).hasSize(good.size());
    }

    @Test
    void should_reject_a_file_that_changes_mid_copy_and_leave_nothing_half_written() throws Exception {
        Path source = dir.resolve("source");
        Path target = dir.resolve("target");
        Trees.bigFile(source.resolve("growing.bin"), 512 * 1024, 5);
        TestHome home = new TestHome(dir.resolve("home"));
        home.job("folder-to-folder", Map.of("source.type", "folder", "source.root", source.toString(),
                "target.type", "folder", "target.root", target.toString(), "caravan.bandwidth-limit", "128KiB"));
        Thread writer = new Thread(() -> {
            try {
                Path temp = FolderTarget.temporaryFor(target.resolve("growing.bin"));
                while (!Files.exists(temp)) {
                    Thread.sleep(5);
                }
                Files.writeString(source.resolve("growing.bin"), "appended mid-copy", StandardOpenOption.APPEND);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        writer.start();
        assertThat(home.caravan("run", "folder-to-folder")).isEqualTo(3);
        writer.join(10_000);
        assertThat(Rejects.ofLatestRun(home.data(), "folder-to-folder").get("growing.bin").get("reason").asText())
                .contains("changed while it was copied");
        try (Stream<Path> left = Files.walk(target)) {
            assertThat(left.filter(Files::isRegularFile)).as("no file, not even a temporary one").isEmpty();
        }

        assertThat(home.caravan("run", "folder-to-folder")).as("the next run copies it").isZero();
        assertThat(Trees.ofFolder(target)).isEqualTo(Trees.ofFolder(source));
    }

    /**
     * S3 allows a key such as {@code ../x}; written to a folder it must not escape the target root.
     * S3Proxy (Jetty) refuses such keys with 400, so the dot segments come from the key mapping here:
     * the target key goes through the same folder target either way.
     */
    @Test
    void should_keep_keys_with_dot_dot_inside_the_target_folder() throws Exception {
        try (S3ProxyServer s3 = S3ProxyServer.inMemory(); S3Client client = s3.client()) {
            s3.createBucket("tricky");
            for (String key : List.of("ok.txt", "escape.txt", "sub/escape-too.txt")) {
                client.putObject(r -> r.bucket("tricky").key(key), RequestBody.fromString("body of " + key));
            }
            Path target = dir.resolve("nested/target");
            TestHome home = new TestHome(dir.resolve("home"));
            home.job("s3-to-folder", merge(s3.settings("source", "tricky"), Map.of(
                    "target.type", "folder", "target.root", target.toString(),
                    "mapping.rename-from", "^(sub/)?escape", "mapping.rename-to", "$1../../escape")));

            assertThat(home.caravan("run", "s3-to-folder")).isEqualTo(3);

            Map<String, JsonNode> rejects = Rejects.ofLatestRun(home.data(), "s3-to-folder");
            assertThat(rejects.keySet()).containsExactlyInAnyOrder("escape.txt", "sub/escape-too.txt");
            rejects.values().forEach(r -> assertThat(r.get("reason").asText()).contains("escapes the target folder"));
            try (Stream<Path> all = Files.walk(dir)) {
                assertThat(all.map(p -> p.getFileName().toString())).doesNotContain("escape.txt", "escape-too.txt");
            }
            assertThat(Files.readString(target.resolve("ok.txt"))).isEqualTo("body of ok.txt");
        }
    }

    /**
     * A rename that maps two source keys to one target key: the one copied first keeps it, whichever the listing
     * gives first, and the other is refused by name on every run (before, the later write won, with exit 0).
     */
    @Test
    void should_refuse_a_second_source_key_that_the_rename_maps_onto_the_target_key_of_a_first() throws Exception {
        Path source = dir.resolve("source");
        Path target = dir.resolve("target");
        Files.createDirectories(source);
        Files.writeString(source.resolve("photo.jpg"), "the lower-case one");
        Files.writeString(source.resolve("other.JPG"), "other");
        TestHome home = new TestHome(dir.resolve("home"));
        home.job("folder-to-folder", Map.of("source.type", "folder", "source.root", source.toString(),
                "target.type", "folder", "target.root", target.toString(),
                "mapping.rename-from", "\\.JPG$", "mapping.rename-to", ".jpg"));
        assertThat(home.caravan("run", "folder-to-folder")).isZero();

        // listed before the one copied: the ledger keeps the target key for that one
        Files.writeString(source.resolve("photo.JPG"), "the upper-case one");
        // two new ones in one run: the first listed takes the key
        Files.writeString(source.resolve("new.JPG"), "new, upper");
        Files.writeString(source.resolve("new.jpg"), "new, lower");
        for (int run = 1; run <= 2; run++) {
            assertThat(home.caravan("run", "folder-to-folder")).as("run %d", run).isEqualTo(3);
            Map<String, JsonNode> rejects = Rejects.ofLatestRun(home.data(), "folder-to-folder");
            assertThat(rejects.keySet()).as("run %d", run).containsExactlyInAnyOrder("photo.JPG", "new.jpg");
            assertThat(rejects.get("photo.JPG").get("reason").asText())
                    .contains("'photo.jpg' holds the copy of 'photo.jpg', recorded by an earlier run",
                            "would overwrite it");
            assertThat(rejects.get("new.jpg").get("reason").asText()).contains(run == 1
                    ? "'new.jpg' is the target key of an item listed before it in this run"
                    : "'new.jpg' holds the copy of 'new.JPG'");
            assertThat(Files.readString(target.resolve("photo.jpg"))).isEqualTo("the lower-case one");
            assertThat(Files.readString(target.resolve("new.jpg"))).isEqualTo("new, upper");
            assertThat(Files.readString(target.resolve("other.jpg"))).isEqualTo("other");
        }

        // while its copy is to be made again (missing at the target, marked pending), the first keeps its key
        Files.delete(target.resolve("photo.jpg"));
        assertThat(home.run("verify", "folder-to-folder", "--repair").out()).contains("1 marked pending");
        assertThat(home.caravan("run", "folder-to-folder")).isEqualTo(3);
        assertThat(Rejects.ofLatestRun(home.data(), "folder-to-folder").keySet())
                .containsExactlyInAnyOrder("photo.JPG", "new.jpg");
        assertThat(Files.readString(target.resolve("photo.jpg"))).isEqualTo("the lower-case one");
    }

    private static List<String> waitForFirstArrivalThenPickWaiting(Path target, Path source, Process run)
            throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline && run.isAlive()) {
            if (Files.isDirectory(target.resolve("good"))) {
                try (Stream<Path> arrived = Files.list(target.resolve("good"))) {
                    // a file being written is a hidden temporary one until it is complete
                    if (arrived.anyMatch(f -> !f.getFileName().toString().startsWith("."))) {
                        break;
                    }
                }
            }
            Thread.sleep(5);
        }
        // the last two in the listing's order, neither written nor being written: at 4 transfers a second they are
        // seconds away, so the one deleted is not already open (its copy would then finish, read from the open file)
        List<String> waiting = new ArrayList<>();
        try (Stream<Path> files = Files.list(source.resolve("good"))) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Path written = target.resolve("good").resolve(f.getFileName());
                if (!Files.exists(written) && !Files.exists(FolderTarget.temporaryFor(written)) && waiting.size() < 2) {
                    waiting.add("good/" + f.getFileName());
                }
            }
        }
        assertThat(waiting).hasSize(2);
        return waiting;
    }

    private static void bash(String script, Path arg) throws Exception {
        Process p = new ProcessBuilder("bash", "-c", script, arg.toString()).inheritIO().start();
        assertThat(p.waitFor()).isZero();
    }

    private static boolean isRoot() throws Exception {
        Process p = new ProcessBuilder("id", "-u").start();
        return new String(p.getInputStream().readAllBytes()).trim().equals("0");
    }
}
