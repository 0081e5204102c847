package io.caravan.silverstripe;

import io.caravan.job.JobRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Lines a subtask adds to its run's report (an unresolved link, a thumbnail left behind), each logged too. The
 * report keeps the first {@link #KEPT}; the rest are counted in one last line, so a site with many leaves a report
 * of bounded size, and the log has every one.
 */
final class ReportLines {

    static final int KEPT = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(ReportLines.class);

    private final String what;
    private volatile JobRun run;
    private final AtomicInteger added = new AtomicInteger();

    /** @param what what a line is about, plural, for the count of those left out ("unresolved links") */
    ReportLines(String what) {
        this.what = what;
    }

    void start(JobRun current) {
        run = current;
        added.set(0);
    }

    void add(String line) {
        LOG.warn(line);
        JobRun current = run;
        if (current != null && added.incrementAndGet() <= KEPT) {
            current.addStep(line);
        }
    }

    void finish(JobRun current) {
        int left = added.get() - KEPT;
        if (left > 0) {
            current.addStep("... and " + left + " more " + what + ", in the log");
        }
    }
}
