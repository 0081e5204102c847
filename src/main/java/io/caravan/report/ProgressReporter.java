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
        String counts = stats.isListingComplete()
                ? String.format(Locale.ROOT, "%s %,d/%,d", bar(finished, stats.toTransfer()), finished, stats.toTransfer())
                : String.format(Locale.ROOT, "%,d done, %,d listed so far", finished, stats.listed());
        long eta = stats.etaSeconds();
        return String.format(Locale.ROOT, "%s items, %s, %.0f items/s, %s/s, %,d unchanged%s", counts,
                Bytes.human(stats.bytesDone()), stats.itemsPerSecond(), Bytes.human((long) stats.bytesPerSecond()),
                stats.planned(Decision.UNCHANGED), eta < 0 ? "" : " ETA " + clock(eta));
    }

    private static String bar(long done, long total) {
        int width = 24;
        int filled = total == 0 ? width : (int) Math.min(width, done * width / total);
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
