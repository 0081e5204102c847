package io.caravan.report;

import io.caravan.job.JobStats;
import io.caravan.plan.Decision;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Progress while a run goes: one line redrawn in place on a terminal, a plain line per interval otherwise (logs, CI).
 * While the source is still listed the total is unknown, so the line counts what was found and done, without a bar
 * or an ETA. Once listing ends, a bar against the real total, by bytes (a large file in flight holds the bar back
 * as long as it takes), and an ETA at the recent rate.
 */
public final class ProgressReporter implements AutoCloseable {

    private final JobStats stats;
    private final PrintStream out;
    private final boolean terminal;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "caravan-progress");
        t.setDaemon(true);
        return t;
    });

    public ProgressReporter(JobStats stats, PrintStream out, boolean terminal, Duration interval) {
        this.stats = stats;
        this.out = out;
        this.terminal = terminal;
        long millis = terminal ? 500 : interval.toMillis();
        timer.scheduleAtFixedRate(this::print, millis, millis, TimeUnit.MILLISECONDS);
    }

    String line() {
        boolean listed = stats.isListingComplete();
        long eta = stats.etaSeconds();
        double[] rates = stats.recentRates();
        String pace = String.format(Locale.ROOT, "%.0f items/s, %s/s", rates[0], Bytes.human((long) rates[1]));
        long unchanged = stats.planned(Decision.UNCHANGED);
        long moved = stats.done() + stats.failed() + stats.rejected();
        if (!listed) {
            return String.format(Locale.ROOT, "listing: %,d found, %,d done, %,d unchanged, %s, %s moved",
                    stats.total(), moved, unchanged, pace, Bytes.human(stats.bytesDone()));
        }
        long total = stats.total();
        long totalBytes = stats.totalBytes();
        return String.format(Locale.ROOT, "%s %,d/%,d items, %s/%s, %s, %,d unchanged%s",
                bar(stats.settled(), total, stats.settledBytes(), totalBytes), stats.settled(), total,
                Bytes.human(stats.settledBytes()), Bytes.human(totalBytes), pace, unchanged,
                eta < 0 ? "" : " ETA " + clock(eta));
    }

    /** By bytes when there are any, else by items. */
    private static String bar(long settled, long total, long settledBytes, long totalBytes) {
        int width = 24;
        double fraction = totalBytes > 0 ? (double) settledBytes / totalBytes
                : total > 0 ? (double) settled / total : 1;
        int filled = (int) Math.min(width, Math.floor(fraction * width));
        return "[" + "=".repeat(filled) + " ".repeat(width - filled) + "]";
    }

    public static String clock(long seconds) {
        return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }

    private void print() {
        if (terminal) {
            out.print("\r" + line() + "\u001b[K");
        } else {
            out.println("progress: " + line());
        }
        out.flush();
    }

    @Override
    public void close() {
        timer.shutdownNow();
        if (terminal) {
            out.println();
        }
    }
}
