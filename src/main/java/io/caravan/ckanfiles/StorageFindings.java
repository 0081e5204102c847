package io.caravan.ckanfiles;

import io.caravan.item.JobFatalException;
import io.caravan.job.JobRun;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * What a run found in CKAN's storage besides the files it moves, a list each in the run's folder:
 * {@code orphans.txt} (files no row owns, as {@code <storage path> <bytes>}), {@code missing.txt} (rows whose file
 * is absent) and {@code deleted-owners.txt} (files of owners in state deleted, moved or left by option).
 */
final class StorageFindings implements AutoCloseable {

    enum Kind {
        ORPHANS("orphans.txt", "files no row owns"),
        MISSING("missing.txt", "rows whose file is missing"),
        DELETED_OWNERS("deleted-owners.txt", "files of owners in state deleted");

        private final String file;
        private final String meaning;

        Kind(String file, String meaning) {
            this.file = file;
            this.meaning = meaning;
        }
    }

    private final JobRun run;
    private final Map<Kind, BufferedWriter> writers = new EnumMap<>(Kind.class);
    private final Map<Kind, Long> counts = new EnumMap<>(Kind.class);

    StorageFindings(JobRun run) {
        this.run = run;
    }

    synchronized void add(Kind kind, String line) {
        try {
            BufferedWriter w = writers.get(kind);
            if (w == null) {
                Files.createDirectories(run.folder());
                w = Files.newBufferedWriter(run.folder().resolve(kind.file), StandardCharsets.UTF_8);
                writers.put(kind, w);
            }
            w.write(line);
            w.newLine();
            counts.merge(kind, 1L, Long::sum);
        } catch (IOException e) {
            throw new JobFatalException("cannot write " + kind.file + " in " + run.folder() + ": " + e.getMessage(), e);
        }
    }

    /** Closes the lists of these kinds and says in the report how many each holds. */
    synchronized void report(Kind... kinds) {
        for (Kind kind : kinds) {
            BufferedWriter w = writers.remove(kind);
            if (w != null) {
                try {
                    w.close();
                } catch (IOException e) {
                    throw new JobFatalException("cannot write " + kind.file + ": " + e.getMessage(), e);
                }
            }
            long n = counts.getOrDefault(kind, 0L);
            run.addStep(String.format(Locale.ROOT, "%s: %,d%s", kind.meaning, n, n == 0 ? ""
                    : " (see " + run.folder().resolve(kind.file) + ")"));
        }
    }

    @Override
    public synchronized void close() {
        writers.values().forEach(w -> {
            try {
                w.close();
            } catch (IOException ignored) {
                // reported when written
            }
        });
        writers.clear();
    }

    static Path fileOf(Path runFolder, Kind kind) {
        return runFolder.resolve(kind.file);
    }
}
