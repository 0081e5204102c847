package io.caravan.job;

import io.caravan.item.CloseableIterator;
import io.caravan.ledger.LedgerScope;
import io.caravan.report.RejectsFile;
import io.caravan.report.ThroughputSamples;
import io.caravan.report.TopItems;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/** One run of a job: its counters, its rejects file, and whether it was stopped by a job-fatal error. */
public final class JobRun {

    private final String id;
    private final LedgerScope scope;
    private final boolean dryRun;
    private final Instant startedAt = Instant.now();
    private final JobStats stats = new JobStats();
    private final RejectsFile rejects;
    private final ThroughputSamples samples = new ThroughputSamples();
    private final TopItems topItems = new TopItems();
    private final Path folder;
    private final AtomicReference<String> fatalError = new AtomicReference<>();
    private final AtomicReference<String> lastError = new AtomicReference<>();
    private final Object pauseLock = new Object();
    private final List<String> steps = new CopyOnWriteArrayList<>();
    private final AtomicReference<CloseableIterator<?>> listing = new AtomicReference<>();
    private boolean paused;

    /** The listing, started ahead of the run's routes (see {@code JobExecution.startListing}), for the list stage. */
    public void listingStarted(CloseableIterator<?> started) {
        listing.set(started);
    }

    /**
     * Whether the listing started ahead has an item for the run's routes (a new, changed or unfinished one): waits for
     * its first such item or its end. A listing that failed says yes, so that the routes meet its failure.
     */
    public boolean listingHasItems() {
        CloseableIterator<?> started = listing.get();
        try {
            return started == null || started.hasNext();
        } catch (RuntimeException e) {
            return true;
        }
    }

    public boolean hasListing() {
        return listing.get() != null;
    }

    /** The listing started ahead, now the caller's (the list stage's), or null when none was started. */
    public CloseableIterator<?> takeListing() {
        return listing.getAndSet(null);
    }

    /** Stops a listing that was started and never taken (the run ended before its routes asked for it). */
    public void closeListing() {
        CloseableIterator<?> left = takeListing();
        if (left != null) {
            left.close();
        }
    }

    /** A step of the run besides its items (a script run before or after the copy) and its outcome, for the report. */
    public void addStep(String outcome) {
        steps.add(outcome);
    }

    public List<String> steps() {
        return List.copyOf(steps);
    }

    public JobRun(String id, LedgerScope scope, boolean dryRun, Path folder) {
        this.id = id;
        this.scope = scope;
        this.dryRun = dryRun;
        this.folder = folder;
        this.rejects = new RejectsFile(folder.resolve("rejects.jsonl"));
    }

    public String id() {
        return id;
    }

    /** The source and target this run migrates between: the scope of the ledger rows it reads and writes. */
    public LedgerScope scope() {
        return scope;
    }

    public boolean isDryRun() {
        return dryRun;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public JobStats stats() {
        return stats;
    }

    public RejectsFile rejects() {
        return rejects;
    }

    /** What had moved at each progress interval, bounded: the report's chart. */
    public ThroughputSamples samples() {
        return samples;
    }

    /** The largest and the slowest items done, bounded: the report's tables. */
    public TopItems topItems() {
        return topItems;
    }

    /** Where this run's report and rejects file go. */
    public Path folder() {
        return folder;
    }

    /**
     * Stops the run: listing ends, queued items are dropped, nothing more is written. The first reason wins.
     *
     * @return whether this was the first reason (the one to tell the operator; the others are its echoes)
     */
    public boolean abort(String reason) {
        return fatalError.compareAndSet(null, reason);
    }

    /** Workers finish the item in hand, then wait before the next one until {@link #resume()}. */
    public void pause() {
        synchronized (pauseLock) {
            paused = true;
        }
    }

    public void resume() {
        synchronized (pauseLock) {
            paused = false;
            pauseLock.notifyAll();
        }
    }

    public boolean isPaused() {
        synchronized (pauseLock) {
            return paused;
        }
    }

    /** Called by a worker before it starts an item. A stop also releases paused workers. */
    public void awaitNotPaused() throws InterruptedException {
        synchronized (pauseLock) {
            while (paused && !isAborted()) {
                pauseLock.wait(1000);
            }
        }
    }

    public boolean isAborted() {
        return fatalError.get() != null;
    }

    public String fatalError() {
        return fatalError.get();
    }

    /** The most recent reason an item did not move, or the fatal error. */
    public String lastError() {
        return fatalError.get() != null ? fatalError.get() : lastError.get();
    }

    public void itemNotMoved(String key, String reason) {
        lastError.set(key + ": " + reason);
    }
}
