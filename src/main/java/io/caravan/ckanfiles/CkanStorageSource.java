package io.caravan.ckanfiles;

import io.caravan.item.CloseableIterator;
import io.caravan.item.Identities;
import io.caravan.item.Item;
import io.caravan.item.ItemRejectedException;
import io.caravan.item.JobFatalException;
import io.caravan.item.LookaheadIterator;
import io.caravan.job.JobRun;
import io.caravan.ledger.LedgerScope;
import io.caravan.source.ContentTypes;
import io.caravan.source.ItemSource;
import io.caravan.target.CountingDigest;
import io.caravan.target.KeepVerifiedTarget;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.Map;

/**
 * The files of a CKAN's {@code ckan.storage_path}, each listed from the row that owns it ({@link StoredFile}); items
 * are keyed where they go. A row whose file is absent is rejected and listed in {@code missing.txt}; an owner in
 * state deleted is left behind (or moved, with {@code source.deleted-owners = migrate}) and listed; files no row
 * owns are listed in {@code orphans.txt} before the run lists anything. After a complete run, the owners can be
 * pointed at their new place ({@link OwnerRewrite}).
 */
public final class CkanStorageSource implements ItemSource {

    private final Path storage;
    private final CkanStorageDatabase db;
    private final boolean migrateDeleted;
    private final boolean contentMd5;
    private final OwnerRewrite rewrite;
    private final Path mappings;
    private volatile StorageFindings findings;

    /**
     * @param contentMd5 read each file once more for its MD5 before it is sent, so a target can tell it is
     *                   already there ({@code target.keep-verified})
     * @param rewrite    what to do with the owners after a complete run, or null
     * @param mappings   the job's folder of mapping files, where a rewrite records the owners' old values per ledger
     *                   scope and a rollback reads them
     */
    CkanStorageSource(Path storage, CkanStorageDatabase db, boolean migrateDeleted, boolean contentMd5,
                      OwnerRewrite rewrite, Path mappings) {
        this.storage = storage;
        this.db = db;
        this.migrateDeleted = migrateDeleted;
        this.contentMd5 = contentMd5;
        this.rewrite = rewrite;
        this.mappings = mappings;
    }

    @Override
    public void check() {
        if (!Files.isDirectory(storage)) {
            throw new JobFatalException("source.storage-path " + storage + " is not a folder");
        }
        db.check();
    }

    @Override
    public void beforeRun(JobRun run) {
        findings = new StorageFindings(run);
        new OrphanAudit(storage, db).run(findings);
        findings.report(StorageFindings.Kind.ORPHANS);
    }

    @Override
    public CloseableIterator<Item> list() {
        CloseableIterator<StoredFile> owners = db.owners();
        return new LookaheadIterator<>() {
            @Override
            protected Item advance() {
                while (owners.hasNext()) {
                    Item item = itemOf(owners.next());
                    if (item != null) {
                        return item;
                    }
                }
                if (findings != null) {
                    findings.report(StorageFindings.Kind.MISSING, StorageFindings.Kind.DELETED_OWNERS);
                }
                return null;
            }

            @Override
            public void close() {
                owners.close();
            }
        };
    }

    private Item itemOf(StoredFile file) {
        if (file.fileName().isEmpty()) {
            return Item.unusable(file.owner().name().toLowerCase() + "s/" + file.ownerId(),
                    file.describe() + " names no file");
        }
        if (file.deleted()) {
            note(StorageFindings.Kind.DELETED_OWNERS, file.storagePath() + " " + file.describe()
                    + (migrateDeleted ? " (moved)" : " (left behind)"));
            if (!migrateDeleted) {
                return null;
            }
        }
        try {
            BasicFileAttributes a = Files.readAttributes(storage.resolve(file.storagePath()), BasicFileAttributes.class);
            return Item.of(file.targetKey(), a.size() + ":" + a.lastModifiedTime().toMillis(), a.size(),
                    a.lastModifiedTime().toMillis());
        } catch (NoSuchFileException e) {
            note(StorageFindings.Kind.MISSING, file.storagePath() + " " + file.describe());
            return Item.unusable(file.targetKey(), "missing file: " + file.storagePath() + " (" + file.describe()
                    + ") is not in the storage");
        } catch (IOException e) {
            return Item.unusable(file.targetKey(), "cannot read " + file.storagePath() + ": " + e.getMessage());
        }
    }

    private void note(StorageFindings.Kind kind, String line) {
        if (findings != null) {
            findings.add(kind, line);
        }
    }

    @Override
    public Content open(Item item) {
        Path file = storage.resolve(storagePathOf(item.key()));
        Map<String, String> metadata = new HashMap<>();
        try {
            if (contentMd5) {
                try (CountingDigest digest = new CountingDigest(Files.newInputStream(file))) {
                    digest.transferTo(OutputStream.nullOutputStream()); // this read is for the MD5 alone
                    metadata.put(KeepVerifiedTarget.CONTENT_MD5, digest.md5());
                }
            }
            InputStream body = Files.newInputStream(file);
            return new Content(body, new Item.Attributes(ContentTypes.of(Path.of(item.key())), metadata));
        } catch (NoSuchFileException e) {
            throw new ItemRejectedException("transfer", "missing file: " + storage.relativize(file)
                    + " vanished since it was listed");
        } catch (IOException e) {
            throw new ItemRejectedException("transfer", "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void checkUnchanged(Item item) {
        Path file = storage.resolve(storagePathOf(item.key()));
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            if (a.size() != item.size() || a.lastModifiedTime().toMillis() != item.lastModified()) {
                throw new ItemRejectedException("transfer", storage.relativize(file) + " changed while it was copied");
            }
        } catch (IOException e) {
            throw new ItemRejectedException("transfer", "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Where the file of an item key is in CKAN's storage. */
    static String storagePathOf(String key) {
        String[] parts = key.split("/", 3);
        return switch (StoredFile.Owner.ofKey(key)) {
            case RESOURCE -> StoredFile.resourcePath(parts[1]);
            case GROUP -> "storage/uploads/group/" + parts[2];
            case USER -> "storage/uploads/user/" + parts[2];
        };
    }

    @Override
    public void afterRun(JobRun run, boolean complete) {
        if (findings != null) {
            findings.close();
        }
        if (rewrite != null) {
            if (complete) {
                rewrite.apply(run);
            } else {
                run.addStep("owners not rewritten: the run is not complete (rerun it, then they are)");
            }
        }
    }

    /** Points the owners back at their stored files, from the mapping file the scope's rewrite recorded. */
    public int rollback(LedgerScope scope) {
        return OwnerRewrite.rollback(db, OwnerRewrite.mapping(mappings, scope));
    }

    /** The storage folder and the database whose owners it rewrites. */
    @Override
    public String identity() {
        return "ckan-storage:" + Identities.folder(storage) + " database " + db.identity();
    }

    @Override
    public String describe() {
        return "CKAN storage " + storage;
    }

    @Override
    public void close() {
        db.close();
    }
}
