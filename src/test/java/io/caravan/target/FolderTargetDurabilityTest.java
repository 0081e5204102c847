package io.caravan.target;

import io.caravan.testing.TestHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * What a folder target asks of the kernel so that a file recorded done survives a crash of the machine: the file is
 * synced before its rename, its folder after it, and a folder the write created in its own parent. Seen with strace
 * on a child run ({@code .ci/run} installs strace where it is missing).
 */
class FolderTargetDurabilityTest {

    @TempDir
    Path dir;

    @Test
    void should_sync_the_folder_of_each_file_after_its_rename_and_the_parents_of_the_folders_it_made() throws Exception {
        assumeTrue(straceWorks(), "strace is not installed, or may not trace here");
        Path source = dir.resolve("source");
        Files.createDirectories(source.resolve("a/b"));
        Files.writeString(source.resolve("a/b/deep.txt"), "deep");
        Files.createDirectories(source.resolve("c"));
        Files.writeString(source.resolve("c/next.txt"), "next");
        Path target = dir.resolve("target");
        TestHome home = new TestHome(dir.resolve("home"));
        home.job("folder-to-folder", Map.of("source.type", "folder", "source.root", source.toString(),
                "target.type", "folder", "target.root", target.toString(), "caravan.workers", "1"));
        Path trace = dir.resolve("strace.txt");
        Process run = home.start(dir.resolve("run.log"), List.of("strace", "-f", "-y", "-o", trace.toString(),
                "-e", "trace=fsync,fdatasync,rename,renameat,renameat2"), "run", "folder-to-folder");
        assertThat(run.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(run.exitValue()).as(TestHome.logOf(dir.resolve("run.log"))).isZero();
        List<String> calls = Files.readAllLines(trace);

        // one worker, in name order: a/b/deep.txt is the first file written, c/next.txt the second
        int deep = renamed(calls, target.resolve("a/b/deep.txt"));
        int next = renamed(calls, target.resolve("c/next.txt"));
        assertThat(deep).isLessThan(next);
        assertThat(synced(calls, target.resolve("a/b"), deep, next)).as("the file's folder, after the rename").isTrue();
        assertThat(synced(calls, target.resolve("a"), deep, next)).as("a folder the write made, in its parent")
                .isTrue();
        assertThat(synced(calls, target, deep, next)).as("the highest folder it made, in its parent").isTrue();
        assertThat(synced(calls, target.resolve("c"), next, calls.size())).isTrue();
        assertThat(synced(calls, target, next, calls.size())).as("the next new folder, in its parent").isTrue();
    }

    /** The line of the rename onto {@code file}. */
    private static int renamed(List<String> calls, Path file) {
        for (int i = 0; i < calls.size(); i++) {
            if (calls.get(i).contains("rename") && calls.get(i).contains("\"" + file + "\"")) {
                return i;
            }
        }
        throw new AssertionError("no rename onto " + file + " in:\n" + String.join("\n", calls));
    }

    /** Whether {@code folder} was synced between these lines (strace writes each call on a line of its own). */
    private static boolean synced(List<String> calls, Path folder, int after, int before) {
        return calls.subList(after, before).stream().anyMatch(line -> line.contains("sync(")
                && line.contains("<" + folder + ">"));
    }

    private static boolean straceWorks() {
        try {
            Process p = new ProcessBuilder("strace", "-o", "/dev/null", "true").redirectErrorStream(true).start();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
