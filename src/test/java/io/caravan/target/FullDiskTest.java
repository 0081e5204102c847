package io.caravan.target;

import io.caravan.testing.Rejects;
import io.caravan.testing.TestHome;
import io.caravan.testing.Trees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** A folder target on a small filesystem (a tmpfs of 3 MiB) that fills up mid-run, then is given room. */
class FullDiskTest {

    @TempDir
    Path dir;

    @Test
    void should_stop_at_the_item_that_does_not_fit_leave_no_partial_file_and_complete_once_space_is_freed()
            throws Exception {
        Path target = Files.createDirectories(dir.resolve("small-disk"));
        String refused = mount(target, "size=3m");
        assumeTrue(refused == null, () -> "this system refuses to mount a tmpfs: " + refused);
        try {
            Path tree = dir.resolve("tree");
            for (int i = 0; i < 30; i++) {
                Trees.bigFile(tree.resolve(String.format("part-%02d.bin", i)), 200 * 1024, i);
            }
            SortedMap<String, String> expected = Trees.ofFolder(tree);
            TestHome home = new TestHome(dir.resolve("home"));
            home.job("folder-to-folder", Map.of("source.type", "folder", "source.root", tree.toString(),
                    "target.type", "folder", "target.root", target.toString(), "caravan.workers", "2"));

            TestHome.Ran full = home.run("run", "folder-to-folder");
            assertThat(full.exit()).as(full.output()).isEqualTo(2);
            String report = Files.readString(Rejects.latestRun(home.data(), "folder-to-folder").resolve("report.txt"),
                    StandardCharsets.UTF_8);
            assertThat(report).containsPattern("target full: no space left on device writing part-\\d\\d\\.bin");

            SortedMap<String, String> written = Trees.ofFolder(target);
            assertThat(written).as("some fitted, not all").isNotEmpty().hasSizeLessThan(expected.size());
            assertThat(expected).as("no partial file under an item's name").containsAllEntriesOf(written);
            assertThat(temporaryFiles(target)).as("nothing left taking the room").isEmpty();
            TestHome.Ran status = home.run("status", "folder-to-folder");
            assertThat(status.out()).as("ledger = target").contains(written.size() + " done");

            assertThat(mount(target, "remount,size=16m")).isNull();
            assertThat(home.caravan("run", "folder-to-folder")).isZero();
            assertThat(Trees.ofFolder(target)).isEqualTo(expected);
        } finally {
            new ProcessBuilder("umount", target.toString()).inheritIO().start().waitFor();
        }
    }

    private static List<Path> temporaryFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.getFileName().toString().endsWith(FolderTarget.TEMP_SUFFIX)).toList();
        }
    }

    /** @return null when mounted, else what mount said */
    private static String mount(Path at, String options) throws Exception {
        try {
            Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", options, "tmpfs", at.toString())
                    .redirectErrorStream(true).start();
            String said = new String(mount.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            return mount.waitFor() == 0 ? null : "mount -o " + options + ": " + said.strip();
        } catch (IOException e) {
            return "no mount command: " + e.getMessage();
        }
    }
}
