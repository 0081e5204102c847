package io.caravan.report;

import io.caravan.job.JobStats;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Progress while a run goes: a bar redrawn in place on a terminal, a plain line per interval otherwise
 * (logs, CI). The total is known once listing has finished; until then the bar counts what was listed.
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
        long finished = stats.done() + stats.failed() + stats.rejected();
        double seconds = Math.max(stats.elapsedSeconds(), 0.001);
        double rate = stats.done() / seconds;
        double byteRate = stats.bytesDone() / seconds;
        String counts;
        String eta = "";
        if (stats.isListingComplete()) {
            long total = stats.toTransfer();
            long remainingBytes = Math.max(0, stats.bytesToTransfer() - stats.bytesDone());
            counts = String.format(Locale.ROOT, "%s %,d/%,d", bar(finished, total), finished, total);
            if (byteRate > 0 && remainingBytes > 0) {
                eta = " ETA " + clock((long) (remainingBytes / byteRate));
            } else if (rate > 0) {
                eta = " ETA " + clock((long) (Math.max(0, total - finished) / rate));
            }
        } else {
            counts = String.format(Locale.ROOT, "%,d done, %,d listed so far", finished, stats.listed());
        }
        return String.format(Locale.ROOT, "%s items, %s, %.0f items/s, %s/s, %,d unchanged%s", counts,
                Bytes.human(stats.bytesDone()), rate, Bytes.human((long) byteRate),
                stats.planned(io.caravan.plan.Decision.UNCHANGED), eta);
    }

    private static String bar(long done, long total) {
        int width = 24;
        int filled = total == 0 ? width : (int) Math.min(width, done * width / total);
        return "[" + "=".repeat(filled) + " ".repeat(width - filled) + "]";
    }

    private static String clock(long seconds) {
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
