package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.item.CloseableIterator;
import io.caravan.item.Identities;
import io.caravan.item.Item;
import io.caravan.item.ItemRejectedException;
import io.caravan.item.JobFatalException;
import io.caravan.item.LookaheadIterator;
import io.caravan.job.JobRun;
import io.caravan.source.ItemSource;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Records of one kind in a ckanapi JSONL dump, plain or gzip (told by its first bytes), read a line at a time. A
 * line that is not a JSON object is rejected, named by its line number; the others go on. A record on more than
 * one line (a dump appended to) is taken from its last line, and the report says so. Memberships are read from an
 * organizations (or groups) dump, from each record's {@code users}.
 */
public final class JsonlSource implements ItemSource {

    /** Metadata of a dataset's content: the folder of its uploads' files, {@code <resource id>} each. */
    static final String DUMPED_FILES = "ckan.dumped-files";

    private final Path file;
    private final CkanRecords kind;
    private final Path files;
    private volatile JsonlLastLines lastLines;

    /** @param files where the dump's uploaded files are ({@code <resource id>} each), for datasets; else null */
    public JsonlSource(Path file, CkanRecords kind, Path files) {
        this.file = file;
        this.kind = kind;
        this.files = files;
    }

    @Override
    public void check() {
        if (!Files.isReadable(file)) {
            throw new JobFatalException("source.file " + file + " cannot be read");
        }
    }

    /** Finds the records on more than one line before the listing, and tells the report. */
    @Override
    public void beforeRun(JobRun run) {
        lastLines = null; // the file may have changed since the last run of a long-lived job
        JsonlLastLines found = lastLines();
        if (found.repeatedRecords() > 0) {
            run.addStep(String.format(Locale.ROOT, "warning: %s holds %,d records on more than one line: the last"
                    + " line of each was taken, %,d older lines left out", file.getFileName(),
                    found.repeatedRecords(), found.olderLines()));
        }
    }

    private JsonlLastLines lastLines() {
        if (lastLines == null) {
            try (BufferedReader lines = open()) {
                lastLines = JsonlLastLines.of(lines);
            } catch (IOException e) {
                throw new JobFatalException("source.file " + file + " cannot be read: " + e.getMessage(), e);
            }
        }
        return lastLines;
    }

    @Override
    public CloseableIterator<Item> list() {
        JsonlLastLines last = lastLines();
        BufferedReader lines = open();
        return new LookaheadIterator<>() {
            private final Deque<Item> pending = new ArrayDeque<>();
            private long number;

            @Override
            protected Item advance() {
                while (pending.isEmpty()) {
                    String line;
                    try {
                        line = lines.readLine();
                    } catch (IOException e) {
                        throw new UncheckedIOException("reading " + file + " after line " + number, e);
                    }
                    if (line == null) {
                        return null;
                    }
                    number++;
                    if (!line.isBlank()) {
                        read(line, number);
                    }
                }
                return pending.poll();
            }

            private void read(String line, long n) {
                String where = "line " + n;
                JsonNode record;
                try {
                    record = CkanJson.parse(line.getBytes(StandardCharsets.UTF_8));
                } catch (ItemRejectedException e) {
                    pending.add(Item.unusable(where, where + " of " + file.getFileName() + " is " + e.getMessage()));
                    return;
                }
                String key = CkanJson.recordKey(record);
                if (!key.isEmpty() && !last.isLast(key, n)) {
                    return; // an older version of a record that a later line holds
                }
                if (kind == CkanRecords.MEMBERSHIPS) {
                    String group = record.path("is_organization").asBoolean(false) ? "organization" : "group";
                    record.path("users").forEach(user -> add(CkanJson.MAPPER.createObjectNode().put("kind", group)
                            .put("group", record.path("name").asText()).put("user", user.path("name").asText())
                            .put("capacity", user.path("capacity").asText("member")), where));
                } else {
                    add(record, where);
                }
            }

            private void add(JsonNode record, String where) {
                String key = kind.keyOf(record);
                pending.add(key.isEmpty() ? Item.unusable(where, where + " of " + file.getFileName()
                        + " has neither id nor name")
                        : Item.ofRecord(key, kind.fingerprintOf(record), CkanJson.bytes(record)));
            }

            @Override
            public void close() {
                try {
                    lines.close();
                } catch (IOException ignored) {
                    // read only
                }
            }
        };
    }

    private BufferedReader open() {
        try {
            InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
            in.mark(2);
            boolean gzip = in.read() == 0x1f && in.read() == 0x8b;
            in.reset();
            return new BufferedReader(new InputStreamReader(gzip ? new GZIPInputStream(in, 1 << 16) : in,
                    StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new JobFatalException("source.file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public Content open(Item item) {
        return CkanJson.content(item.record(), files == null ? Map.of()
                : Map.of(DUMPED_FILES, files.toAbsolutePath().toString()));
    }

    @Override
    public String describe() {
        return kind.setting() + " of " + file;
    }

    @Override
    public String identity() {
        return Identities.file(file);
    }
}
