package io.caravan.cli;

import io.caravan.job.Job;
import io.caravan.job.JobSettings;
import io.caravan.job.Workspace;
import io.caravan.ledger.Ledger;
import io.caravan.ledger.LedgerDatabase;
import io.caravan.ledger.LedgerScope;
import io.caravan.ledger.LedgerStatus;
import io.caravan.testing.TestHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code caravan status <job>}: how the instances that worked the running or last run shared its items. */
class StatusPerInstanceTest {

    private static final String JOB = "folder-to-folder";

    @TempDir
    Path dir;

    @Test
    void should_list_each_instance_of_the_latest_run_with_its_counts_and_bytes() {
        TestHome home = new TestHome(dir.resolve("home"));
        home.job(JOB, Map.of("source.type", "folder", "source.root", dir.toString(),
                "target.type", "folder", "target.root", dir.resolve("target").toString()));
        Workspace workspace = new Workspace(home.path());
        JobSettings settings = workspace.settings(JOB, Map.of());
        try (LedgerDatabase database = workspace.openLedger(settings);
             Job job = workspace.openJob(settings, database)) {
            Ledger ledger = job.ledger();
            LedgerScope scope = job.scope();
            Instant earlier = Instant.parse("2026-12-05T07:00:00Z");
            ledger.recordRunStart("run-old", scope, false, earlier);
            done(ledger, scope, "old-1", "run-old", "worker-old", 10);
            ledger.recordRunStart("run-dry", scope, true, earlier.plusSeconds(120));

            ledger.recordRunStart("run-new", scope, false, earlier.plusSeconds(90));
            for (int i = 0; i < 3; i++) {
                done(ledger, scope, "a" + i, "run-new", "worker-1", 1_024);
            }
            done(ledger, scope, "b0", "run-new", "worker-2", 2_048);
            ledger.recordFailure(scope, "b1", "f", LedgerStatus.REJECTED, "b1", "bad input",
                    new Ledger.Origin("run-new", "worker-2"), null);
            ledger.recordFailure(scope, "b2", "f", LedgerStatus.FAILED, "b2", "timed out",
                    new Ledger.Origin("run-new", "worker-2"), null);
            ledger.flush();
        }

        TestHome.Ran ran = home.run("status", JOB, "--set", "caravan.http.port=0");

        assertThat(ran.exit()).as(ran.output()).isZero();
        assertThat(ran.out()).contains("run run-new (running), per instance:")
                .containsPattern("instance +done +failed +rejected +bytes")
                .containsPattern("worker-1 +3 +0 +0 +3\\.0 KiB")
                .containsPattern("worker-2 +1 +1 +1 +2\\.0 KiB")
                .doesNotContain("worker-old").doesNotContain("run-dry");
    }

    @Test
    void should_show_no_instances_for_a_job_without_a_scaled_out_run() throws Exception {
        Path source = Files.createDirectories(dir.resolve("source"));
        Files.writeString(source.resolve("a.txt"), "a");
        TestHome home = new TestHome(dir.resolve("home"));
        home.job(JOB, Map.of("source.type", "folder", "source.root", source.toString(),
                "target.type", "folder", "target.root", dir.resolve("target").toString()));
        TestHome.Ran run = home.run("run", JOB);
        assertThat(run.exit()).as(run.output()).isZero();

        TestHome.Ran ran = home.run("status", JOB, "--set", "caravan.http.port=0");

        assertThat(ran.exit()).as(ran.output()).isZero();
        assertThat(ran.out()).contains(JOB + ": 1 scope").doesNotContain("per instance");
    }

    private static void done(Ledger ledger, LedgerScope scope, String key, String runId, String worker, long bytes) {
        ledger.recordDone(scope, key, "f", key, "md5:x", bytes, new Ledger.Origin(runId, worker), null);
    }
}
