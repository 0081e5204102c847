package io.caravan.job;

import io.caravan.report.RejectsFile;

import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

/** One run of a job: its counters, its rejects file, and whether it was stopped by a job-fatal error. */
public final class JobRun {

    private final String id;
    private final boolean dryRun;
    private final Instant startedAt = Instant.now();
    private final JobStats stats = new JobStats();
    private final RejectsFile rejects;
    private final Path folder;
    private final AtomicReference<String> fatalError = new AtomicReference<>();

    public JobRun(String id, boolean dryRun, Path folder) {
        this.id = id;
        this.dryRun = dryRun;
        this.folder = folder;
        this.rejects = new RejectsFile(folder.resolve("rejects.jsonl"));
    }

    public String id() {
        return id;
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

    /** Where this run's report and rejects file go. */
    public Path folder() {
        return folder;
    }

    /** Stops the run: listing ends, queued items are dropped, nothing more is written. The first reason wins. */
    public void abort(String reason) {
        fatalError.compareAndSet(null, reason);
    }

    public boolean isAborted() {
        return fatalError.get() != null;
    }

    public String fatalError() {
        return fatalError.get();
    }
}
