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
        Files.writeString(source.resolve("top.txt"), "top");
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

        int deep = renamed(calls, target.resolve("a/b/deep.txt"));
        assertThat(synced(calls, target.resolve("a/b"), deep)).as("the file's folder, after the rename").isTrue();
        assertThat(synced(calls, target.resolve("a"), deep)).as("a folder the write made, in its parent").isTrue();
        assertThat(synced(calls, target, deep)).as("the highest folder it made, in its parent").isTrue();
        int top = renamed(calls, target.resolve("top.txt"));
        assertThat(synced(calls, target, top)).as("the folder of a file in the root").isTrue();
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

    /** Whether {@code folder} was synced after line {@code after}. */
    private static boolean synced(List<String> calls, Path folder, int after) {
        return calls.subList(after, calls.size()).stream().anyMatch(line -> line.contains("sync(")
                && line.contains("<" + folder + ">)"));
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
