package io.caravan.cli;

import io.caravan.report.RunReport;
import io.caravan.testing.TestHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code caravan report <job> [--run ID]}: the path of a run's report.html. */
class ReportCommandTest {

    @TempDir
    Path dir;

    @Test
    void should_print_the_latest_runs_page_or_the_one_named_and_write_it_for_an_older_run() throws Exception {
        TestHome home = new TestHome(dir.resolve("home"));
        home.job("folder-to-folder", Map.of("source.type", "folder", "source.root", dir.toString(),
                "target.type", "folder", "target.root", dir.resolve("t").toString()));
        Path runs = home.data().resolve("runs/folder-to-folder");
        // an older run, from before report.html: report.json only
        Path older = run(runs, "20261101T000000.000Z-aaaa", false);
        Path latest = run(runs, "20261205T070000.000Z-bbbb", true);
        Files.createDirectories(runs.resolve("20261206T000000.000Z-cccc")); // a run still going: no report yet

        TestHome.Ran ran = home.run("report", "folder-to-folder");
        assertThat(ran.exit()).as(ran.output()).isZero();
        assertThat(ran.out().trim()).isEqualTo(latest.resolve("report.html").toAbsolutePath().normalize().toString());

        ran = home.run("report", "folder-to-folder", "--run", older.getFileName().toString());
        assertThat(ran.exit()).as(ran.output()).isZero();
        assertThat(Path.of(ran.out().trim())).isEqualTo(older.resolve("report.html").toAbsolutePath().normalize());
        assertThat(Files.readString(older.resolve("report.html"))).contains("<h2>Plan</h2>");

        ran = home.run("report", "folder-to-folder", "--run", "../../x");
        assertThat(ran.exit()).isEqualTo(2);
        assertThat(ran.err()).contains("has no run ../../x");
        ran = home.run("report", "folder-to-folder", "--run", "20990101T000000.000Z-none");
        assertThat(ran.exit()).isEqualTo(2);
    }

    @Test
    void should_say_when_a_job_has_no_run() {
        TestHome home = new TestHome(dir.resolve("home"));
        home.job("folder-to-folder", Map.of("source.type", "folder", "source.root", dir.toString(),
                "target.type", "folder", "target.root", dir.resolve("t").toString()));
        TestHome.Ran ran = home.run("report", "folder-to-folder");
        assertThat(ran.exit()).isEqualTo(2);
        assertThat(ran.err()).contains("job folder-to-folder has no run with a report");
    }

    private static Path run(Path runs, String id, boolean withPage) {
        Instant at = Instant.parse("2026-12-05T07:00:00Z");
        RunReport report = new RunReport("folder-to-folder", id, false, at, at.plusSeconds(1), 1, "s", "t", null, 0,
                0, Map.of(), Map.of(), 0, Map.of(), 0, 0, 0, 0, 0, null, null, List.of(), 0, null, null, null);
        Path folder = runs.resolve(id);
        if (withPage) {
            report.writeTo(folder);
        } else {
            try {
                Files.createDirectories(folder);
                Files.writeString(folder.resolve("report.json"), report.toJson());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return folder;
    }
}
