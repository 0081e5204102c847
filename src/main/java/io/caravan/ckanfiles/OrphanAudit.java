package io.caravan.ckanfiles;

import io.caravan.item.JobFatalException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds the files of CKAN's storage that no row owns: purging a dataset, or dropping a resource from it, leaves its
 * upload on disk. Walks {@code resources/} and {@code storage/uploads/{group,user,admin}/} and asks the database
 * about a batch of files at a time; nothing is held whole.
 */
final class OrphanAudit {

    private static final int BATCH = 500;

    private final Path storage;
    private final CkanStorageDatabase db;

    OrphanAudit(Path storage, CkanStorageDatabase db) {
        this.storage = storage;
        this.db = db;
    }

    void run(StorageFindings findings) {
        Set<String> site = db.systemValues();
        walk("resources", batch -> {
            Map<String, Path> byId = new LinkedHashMap<>();
            batch.forEach(f -> byId.put(storage.resolve("resources").relativize(f).toString().replace("/", ""), f));
            Set<String> owned = db.uploadResources(byId.keySet());
            byId.forEach((id, f) -> {
                if (!owned.contains(id)) {
                    findings.add(StorageFindings.Kind.ORPHANS, line(f));
                }
            });
        });
        for (StoredFile.Owner owner : List.of(StoredFile.Owner.GROUP, StoredFile.Owner.USER)) {
            String folder = "storage/uploads/" + (owner == StoredFile.Owner.GROUP ? "group" : "user");
            walk(folder, batch -> {
                Set<String> owned = db.images(owner, batch.stream().map(f -> f.getFileName().toString()).toList());
                batch.stream().filter(f -> !owned.contains(f.getFileName().toString()))
                        .forEach(f -> findings.add(StorageFindings.Kind.ORPHANS, line(f)));
            });
        }
        walk("storage/uploads/admin", batch -> batch.stream()
                .filter(f -> site.stream().noneMatch(v -> v.endsWith(f.getFileName().toString())))
                .forEach(f -> findings.add(StorageFindings.Kind.ORPHANS, line(f))));
    }

    private void walk(String folder, java.util.function.Consumer<List<Path>> check) {
        Path root = storage.resolve(folder);
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> files = Files.walk(root)) {
            Iterator<Path> it = files.filter(Files::isRegularFile).iterator();
            List<Path> batch = new ArrayList<>();
            while (it.hasNext()) {
                batch.add(it.next());
                if (batch.size() == BATCH || !it.hasNext()) {
                    check.accept(batch);
                    batch = new ArrayList<>();
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new JobFatalException("cannot walk " + root + ": " + e.getMessage(), e);
        }
    }

    private String line(Path file) {
        try {
            return storage.relativize(file) + " " + Files.size(file);
        } catch (IOException e) {
            return storage.relativize(file) + " ?";
        }
    }
}
