package io.caravan.silverstripe;

import io.caravan.job.JobRun;
import io.caravan.ledger.LedgerScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ReportLinesTest {

    private static final LedgerScope SCOPE = new LedgerScope("silverstripe-rewrite-shortcodes", "silverstripe:site",
            "silverstripe:site");

    @TempDir
    Path dir;

    @Test
    void should_keep_the_first_lines_in_the_report_and_count_the_rest() {
        JobRun run = new JobRun("r1", SCOPE, false, dir);
        ReportLines lines = new ReportLines("unresolved links");
        lines.start(run);
        for (int i = 0; i < ReportLines.KEPT + 5; i++) {
            lines.add("line " + i);
        }
        lines.finish(run);

        assertThat(run.steps()).hasSize(ReportLines.KEPT + 1).startsWith("line 0")
                .endsWith("... and 5 more unresolved links, in the log");
    }

    @Test
    void should_start_each_run_with_none_kept() {
        ReportLines lines = new ReportLines("unresolved links");
        lines.start(new JobRun("r1", SCOPE, false, dir));
        lines.add("first run");
        JobRun second = new JobRun("r2", SCOPE, false, dir);
        lines.start(second);
        lines.add("second run");
        lines.finish(second);

        assertThat(second.steps()).containsExactly("second run");
    }
}
