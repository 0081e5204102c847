package io.caravan.report;

import io.caravan.job.JobStats;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The progress line tells the truth: no total before the listing ends, and a large last file keeps the bar back. */
class ProgressReporterTest {

    private static final long SECOND = 1_000_000_000L;

    @Test
    void should_count_what_was_found_without_a_bar_or_an_eta_while_listing() {
        AtomicLong now = new AtomicLong();
        JobStats stats = new JobStats(now::get);
        for (int i = 0; i < 1_345; i++) {
            stats.onListed(1024);
        }
        for (int i = 0; i < 300; i++) {
            stats.onDone(1024, null);
        }
        now.addAndGet(2 * SECOND);

        String line = reporter(stats).line();

        assertThat(line).startsWith("listing: 1,345 found, 300 done").doesNotContain("ETA").doesNotContain("[")
                .doesNotContain("%");
    }

    @Test
    void should_hold_the_bar_and_the_eta_back_while_the_last_large_file_is_in_flight() {
        AtomicLong now = new AtomicLong();
        JobStats stats = new JobStats(now::get);
        for (int i = 0; i < 3_000; i++) {
            stats.onListed(1024);
        }
        stats.onListed(96L << 20);
        stats.onListingComplete();
        ProgressReporter reporter = reporter(stats);
        for (int second = 1; second <= 10; second++) {
            for (int i = 0; i < 300; i++) {
                stats.onDone(1024, null);
            }
            now.addAndGet(SECOND);
            reporter.line();
        }

        String line = reporter.line();

        assertThat(line).contains("3,000/3,001 items").startsWith("[" + " ".repeat(24) + "]");
        Matcher eta = Pattern.compile("ETA (\\d+):(\\d\\d):(\\d\\d)").matcher(line);
        assertThat(eta.find()).as(line).isTrue();
        long seconds = Long.parseLong(eta.group(1)) * 3600 + Long.parseLong(eta.group(2)) * 60
                + Long.parseLong(eta.group(3));
        assertThat(seconds).as("96 MiB at 300 KiB/s, not the pace of the small files").isBetween(300L, 360L);
    }

    private static ProgressReporter reporter(JobStats stats) {
        return new ProgressReporter(stats, new PrintStream(new ByteArrayOutputStream()), false, Duration.ofHours(1));
    }
}
