package io.caravan.ckanfiles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.item.JobFatalException;
import io.caravan.job.JobRun;
import io.caravan.ledger.Ledger;
import io.caravan.ledger.LedgerScope;
import io.caravan.ledger.LedgerStatus;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Points each owner whose file was moved at its new place, in CKAN's database: a resource's {@code url} becomes the
 * file's URL at the target (and the resource a link), an image's {@code image_url} likewise. A batch of owners at a
 * time, each batch in one transaction, and its old values written to the mapping file (and forced to disk) before
 * it commits; {@link #rollback()} sets them back from that file. CKAN's search index still holds the old values:
 * rebuild it afterwards ({@code ckan search-index rebuild}).
 */
final class OwnerRewrite {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int BATCH = 500;
    private static final String MAPPING = "rewrite-mapping.jsonl";

    private final CkanStorageDatabase db;
    private final Ledger ledger;
    private final String urlPrefix;
    private final Path mappings;
    private final Path storage;

    /** @param urlPrefix what a target key is appended to, for its URL ({@code https://bucket.example.org/ckan/}) */
    OwnerRewrite(CkanStorageDatabase db, Ledger ledger, String urlPrefix, Path mappings, Path storage) {
        this.storage = storage;
        this.db = db;
        this.ledger = ledger;
        this.urlPrefix = urlPrefix;
        this.mappings = mappings;
    }

    /**
     * Rewrites the owners of every file the ledger has as copied. The report says to rebuild CKAN's search index
     * (package_show serves resources from it), and lists in {@code private-files.txt} the files of private datasets,
     * which are plain URLs at the target from now on.
     */
    void apply(JobRun run) {
        Path mapping = mapping(mappings, run.scope());
        int[] rewritten = {0};
        Map<String, StoredFile.Owner> batch = new LinkedHashMap<>();
        try (PrivateFiles privateFiles = new PrivateFiles(run.folder().resolve("private-files.txt"))) {
            ledger.forEach(run.scope(), entry -> {
                if (entry.status() == LedgerStatus.DONE && unchangedSinceCopied(entry.key(), entry.fingerprint())) {
                    batch.put(entry.key(), StoredFile.Owner.ofKey(entry.key()));
                    if (batch.size() == BATCH) {
                        rewritten[0] += rewrite(batch, privateFiles, mapping);
                        batch.clear();
                    }
                }
            });
            rewritten[0] += rewrite(batch, privateFiles, mapping);
            run.addStep(String.format(Locale.ROOT, "owners rewritten: %,d (their old values: %s; `caravan rollback"
                    + " %s` sets them back)", rewritten[0], mapping, run.scope().job()));
            if (rewritten[0] > 0) {
                run.addStep("CKAN's search index still holds the old URLs, and package_show answers from it: run"
                        + " `ckan search-index rebuild` on the CKAN server");
            }
            if (privateFiles.count() > 0) {
                run.addStep(String.format(Locale.ROOT, "warning: %,d files of private datasets are plain URLs at the"
                        + " target now (listed in %s): CKAN no longer checks who downloads them, so the bucket (or"
                        + " its prefix) must not be public", privateFiles.count(), privateFiles.path().getFileName()));
            }
        }
    }

    /**
     * Whether the stored file is still the one copied (its size and modification time, as the ledger has them): a
     * file uploaded again since must not have its owner pointed at the older copy; the next run copies it first.
     */
    private boolean unchangedSinceCopied(String key, String fingerprint) {
        try {
            BasicFileAttributes a = Files.readAttributes(storage.resolve(CkanStorageSource.storagePathOf(key)),
                    BasicFileAttributes.class);
            return (a.size() + ":" + a.lastModifiedTime().toMillis()).equals(fingerprint);
        } catch (IOException e) {
            return false;
        }
    }

    /** The owners of these keys that still name their stored file now name its URL. */
    private int rewrite(Map<String, StoredFile.Owner> keys, PrivateFiles privateFiles, Path mapping) {
        List<CkanStorageDatabase.Change> changes = new ArrayList<>();
        for (StoredFile.Owner owner : StoredFile.Owner.values()) {
            Map<String, String> idByKey = new LinkedHashMap<>();
            keys.forEach((key, o) -> {
                if (o == owner) {
                    idByKey.put(key, key.split("/", 3)[1]);
                }
            });
            if (idByKey.isEmpty()) {
                continue;
            }
            Map<String, CkanStorageDatabase.Current> current = db.current(owner, idByKey.values());
            idByKey.forEach((key, idOrName) -> {
                CkanStorageDatabase.Current now = current.get(idOrName);
                String fileName = key.split("/", 3)[2];
                if (now != null && StoredFile.lastSegment(now.value()).equals(fileName)
                        && !now.value().startsWith("http")) {
                    changes.add(new CkanStorageDatabase.Change(owner, now.id(), now.value(), urlPrefix + key, false));
                    if (now.ofPrivateDataset()) {
                        privateFiles.add(key, urlPrefix + key);
                    }
                }
            });
        }
        if (changes.isEmpty()) {
            return 0;
        }
        record(changes, mapping);
        return db.update(changes);
    }

    /** Appends the changes to the mapping file and forces it to disk, before they are committed. */
    private void record(List<CkanStorageDatabase.Change> changes, Path mapping) {
        try {
            Files.createDirectories(mapping.getParent());
            StringBuilder lines = new StringBuilder();
            for (CkanStorageDatabase.Change c : changes) {
                lines.append(JSON.writeValueAsString(Map.of("owner", c.owner().name(), "id", c.id(), "old", c.from(),
                        "new", c.to()))).append('\n');
            }
            try (FileChannel out = FileChannel.open(mapping, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND)) {
                out.write(StandardCharsets.UTF_8.encode(lines.toString()));
                out.force(true);
            }
        } catch (IOException e) {
            throw new JobFatalException("cannot write the rewrite's mapping file " + mapping + ": " + e.getMessage(), e);
        }
    }

    /**
     * The scope's mapping file, under the job's folder of them: the rewrite of a copy to one bucket is not the
     * rewrite of a copy to another. A mapping written before ledgers had scopes ({@code <job>/rewrite-mapping.jsonl})
     * goes to the first scope that asks, as the ledger's rows from then did.
     */
    static Path mapping(Path mappings, LedgerScope scope) {
        Path mapping = mappings.resolve(scope.id()).resolve(MAPPING);
        Path unscoped = mappings.resolve(MAPPING);
        try {
            if (Files.exists(unscoped) && !Files.exists(mapping)) {
                Files.createDirectories(mapping.getParent());
                Files.move(unscoped, mapping, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new JobFatalException("cannot move the rewrite's mapping file " + unscoped + " to " + mapping
                    + ": " + e.getMessage(), e);
        }
        return mapping;
    }

    /**
     * Sets every owner in the mapping file back to its old value; the file is then kept aside, renamed. Needs only
     * CKAN's database and the file: the rewrite's settings may be gone since (a run with {@code --set rewrite=sql}).
     */
    static int rollback(CkanStorageDatabase db, Path mapping) {
        if (!Files.exists(mapping)) {
            throw new JobFatalException("nothing to roll back: " + mapping + " does not exist (no rewrite of this"
                    + " job was recorded since the last rollback)");
        }
        int restored = 0;
        List<CkanStorageDatabase.Change> batch = new ArrayList<>();
        try (BufferedReader in = Files.newBufferedReader(mapping, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode m = JSON.readTree(line);
                StoredFile.Owner owner = StoredFile.Owner.valueOf(m.get("owner").asText());
                batch.add(new CkanStorageDatabase.Change(owner, m.get("id").asText(), m.get("new").asText(),
                        m.get("old").asText(), true));
                if (batch.size() == BATCH) {
                    restored += db.update(batch);
                    batch.clear();
                }
            }
            restored += batch.isEmpty() ? 0 : db.update(batch);
            Files.move(mapping, mapping.resolveSibling(mapping.getFileName() + ".rolled-back-"
                    + Instant.now().toEpochMilli()), StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + mapping, e);
        }
        return restored;
    }
}
