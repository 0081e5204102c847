package io.caravan.silverstripe;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;
import io.caravan.item.ItemRejectedException;
import io.caravan.job.JobRun;
import io.caravan.silverstripe.files.FileNames;
import io.caravan.verify.Difference;
import io.caravan.verify.VerifyResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code move-files}: each File row with an SS3 {@code Filename} and no {@code FileFilename} gets its SS4 name
 * (underscores collapsed, {@code -v2} on a clash), its class (Image or File, by extension), its SHA-1, and its file
 * at the SS4 place: the natural path when public, the hash path in the protected store when a view restriction
 * applies; then it is published as version 1, with its File_Versions row. A row whose file is missing, or whose
 * extension is not allowed, is rejected; the latter's row is deleted (its file stays on disk), as SilverStripe 4
 * does, unless {@code site.delete-invalid-files = false}.
 */
public final class MoveFiles implements Subtask {

    private static final Logger LOG = LoggerFactory.getLogger(MoveFiles.class);
    private static final int MAX_VERSIONS = 10_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Site site;
    private final FileVersions versions;
    private volatile boolean dryRun;

    public MoveFiles(Site site) {
        this.site = site;
        this.versions = new FileVersions(site.db());
    }

    @Override
    public String name() {
        return "move-files";
    }

    @Override
    public void prepare(JobRun run) {
        dryRun = run.isDryRun();
    }

    /**
     * Rows not migrated yet, and migrated rows whose SS3 path differs from their SS4 one: a kill may have left the
     * old link behind, which {@link #perform} removes. The ledger skips those an earlier run finished. Paths are
     * compared here, not in SQL, as MySQL's usual collation would take two that differ in case for one.
     */
    @Override
    public CloseableIterator<Item> work() {
        NamePlanner planner = new NamePlanner();
        return CloseableIterator.filterMap(Listings.legacyFiles(site.db()), row -> listed(row, planner));
    }

    /**
     * A row as a piece of work, sized by its file so that a dry run predicts the bytes a run moves. What the site
     * already says cannot move is listed with its reason, for the plan to reject: a missing or ambiguous file, an
     * extension not allowed when the row is kept; and, in a dry run, one whose row the run deletes (and rejects).
     */
    private Item listed(FileRow row, NamePlanner planner) {
        String key = "File/" + row.id();
        if (row.isMigrated()) {
            boolean settled = row.filename().equals("assets/" + row.fileFilename());
            return settled ? null : new Item(key, row.filename(), 0, 0, null, new Work(row, 1).toJson());
        }
        long size;
        try {
            size = Files.size(site.assets().find(row.legacyPath()));
        } catch (ItemRejectedException e) {
            return new Item(key, row.filename(), 0, 0, e.getMessage(), new Work(row, 1).toJson());
        } catch (IOException e) {
            return new Item(key, row.filename(), 0, 0, "cannot read assets/" + row.legacyPath() + ": " + e,
                    new Work(row, 1).toJson());
        }
        String extension = FileNames.extension(row.name());
        if (!isAllowed(extension)) {
            String problem = dryRun || !site.rules().deleteInvalidFiles() ? invalidRejection(row, extension, false)
                    : null;
            return new Item(key, row.filename(), size, 0, problem, new Work(row, 1).toJson());
        }
        return new Item(key, row.filename(), size, 0, null, new Work(row, planner.versionFor(row)).toJson());
    }

    /** A row to migrate and the {@code -vN} its cleaned name starts from (1: the name itself). */
    record Work(FileRow row, int version) {
        byte[] toJson() {
            try {
                return JSON.writeValueAsBytes(this);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * Picks, in id order as the rows are listed, the version of each renamed public file's name. A row whose name
     * needs no cleaning keeps it whatever its id, its file being there already: {@code team__photo.jpg} (id 16)
     * becomes {@code team_photo-v2.jpg} beside {@code team_photo.jpg} (id 17). Among rows that clean to one name
     * ({@code bad__name}, {@code bad___name}) the earlier id gets it, whichever worker is faster, in one run or
     * across a kill. Only renamed rows are remembered: any other row's name is its own file's.
     */
    private final class NamePlanner {
        private final Set<String> planned = new HashSet<>();

        int versionFor(FileRow row) {
            String cleaned = FileNames.clean(row.name());
            if (cleaned.equals(row.name()) || site.isProtected(row)) {
                return 1;
            }
            String folder = site.folders().path(row.parentId());
            for (int version = 1; version <= MAX_VERSIONS; version++) {
                String fileFilename = inFolder(folder, nameAt(cleaned, version));
                if (!planned.contains(fileFilename) && isFree(fileFilename, row.legacyPath())) {
                    planned.add(fileFilename);
                    return version;
                }
            }
            return 1;
        }

        /** Nothing there, or the row's own file: itself, or the link an interrupted run placed. */
        private boolean isFree(String fileFilename, String legacyPath) {
            try {
                return AssetsFolder.freeFor(site.assets().root().resolve(fileFilename),
                        site.assets().root().resolve(legacyPath));
            } catch (IOException e) {
                return false; // the SS3 file is gone, or cannot be compared: not free
            }
        }
    }

    @Override
    public Outcome perform(String key, byte[] record) throws IOException, SQLException {
        Work work = JSON.readValue(record, Work.class);
        FileRow row = work.row();
        if (row.isMigrated()) {
            return finishInterrupted(row);
        }
        Path file = site.assets().find(row.legacyPath());
        String extension = FileNames.extension(row.name());
        if (!isAllowed(extension)) {
            rejectInvalid(row, extension);
        }
        String sha1 = AssetsFolder.sha1(file);
        long size = Files.size(file);
        String folder = site.folders().path(row.parentId());
        boolean isProtected = site.isProtected(row);
        String cleaned = FileNames.clean(row.name());
        Placement placement = place(file, folder, cleaned, work.version(), sha1, isProtected);
        try {
            AssetsFolder.place(file, placement.path());
            String className = site.rules().classFor(row.className(), extension);
            SiteDatabase db = site.db();
            site.db().inTransaction(c -> {
                SiteDatabase.update(c, "UPDATE " + db.file() + " SET " + db.col("Name") + " = ?, "
                                + db.col("FileFilename") + " = ?, " + db.col("FileHash") + " = ?, "
                                + db.col("ClassName") + " = ? WHERE " + db.col("ID") + " = ?",
                        placement.name(), placement.fileFilename(), sha1, className, row.id());
                versions.writePublished(c, row.id());
                return null;
            });
            if (!site.rules().keepArchivedAssets() && !file.equals(placement.path())) {
                site.assets().remove(file);
            }
            List<String> notes = new ArrayList<>();
            if (!placement.name().equals(row.name())) {
                notes.add("renamed");
            }
            if (!className.equals(row.className())) {
                notes.add("class changed");
            }
            if (isProtected) {
                notes.add("protected");
            }
            return new Outcome(notes.isEmpty() ? "migrated" : "migrated, " + String.join(", ", notes), sha1, size);
        } finally {
            site.assets().release(placement.path());
        }
    }

    /** Where the file goes, claimed for this worker: the planned version of its name, else the next free one. */
    private Placement place(Path file, String folder, String cleaned, int from, String sha1, boolean isProtected)
            throws IOException {
        for (int version = from; version <= MAX_VERSIONS; version++) {
            String name = nameAt(cleaned, version);
            String fileFilename = inFolder(folder, name);
            Path path = site.location(fileFilename, sha1, isProtected);
            if (site.assets().claim(path)) {
                if (AssetsFolder.freeFor(path, file)) {
                    return new Placement(name, fileFilename, path);
                }
                site.assets().release(path);
            }
        }
        throw new ItemRejectedException("transfer", "no free name for " + cleaned + " in '" + folder + "' after "
                + MAX_VERSIONS + " versions");
    }

    private record Placement(String name, String fileFilename, Path path) {
    }

    /** The cleaned name itself for version 1, {@code name-vN.ext} after it. */
    private static String nameAt(String cleaned, int version) {
        return version == 1 ? cleaned : FileNames.versioned(cleaned, version);
    }

    private static String inFolder(String folder, String name) {
        return folder.isEmpty() ? name : folder + "/" + name;
    }

    private boolean isAllowed(String extension) {
        return !extension.isEmpty() && site.rules().allows(extension);
    }

    /**
     * A row whose extension is not allowed is not migrated: deleted, its file left on disk, as SilverStripe 4 does
     * (or kept with {@code site.delete-invalid-files = false}); rejected either way, so that the rejects file names
     * every row the run did not migrate, and a dry run can predict it.
     */
    private void rejectInvalid(FileRow row, String extension) throws SQLException {
        if (site.rules().deleteInvalidFiles()) {
            SiteDatabase db = site.db();
            db.inTransaction(c -> {
                SiteDatabase.update(c, "DELETE FROM " + db.file() + " WHERE " + db.col("ID") + " = ?", row.id());
                SiteDatabase.update(c, "DELETE FROM " + db.live() + " WHERE " + db.col("ID") + " = ?", row.id());
                return null;
            });
            LOG.warn("deleted the row of {} (File #{}): {}; the file stays on disk", row.filename(), row.id(),
                    invalidReason(extension));
        }
        throw new ItemRejectedException("transfer", invalidRejection(row, extension, true));
    }

    private String invalidRejection(FileRow row, String extension, boolean done) {
        String fate = !site.rules().deleteInvalidFiles() ? "the row is kept (site.delete-invalid-files = false)"
                : done ? "the row is deleted, its file stays on disk"
                : "the run deletes the row, its file stays on disk";
        return row.filename() + " (File #" + row.id() + "): " + invalidReason(extension) + "; " + fate;
    }

    /**
     * Every File row with an SS3 path: migrated ones must have their file at the SS4 place with the SHA-1 the row
     * records (read whole: this is the check that the bytes are intact), the others are pending.
     */
    @Override
    public VerifyResult verify(Consumer<Difference> onDifference) {
        site.loadFolders();
        VerifyResult result = new VerifyResult();
        try (CloseableIterator<FileRow> rows = Listings.legacyFiles(site.db())) {
            while (rows.hasNext()) {
                Difference d = check(rows.next());
                result.add(d.kind());
                if (d.kind() != Difference.Kind.MATCH) {
                    onDifference.accept(d);
                }
            }
        }
        return result;
    }

    private Difference check(FileRow row) {
        String key = "File/" + row.id();
        if (!row.isMigrated()) {
            return refusal(row).map(reason -> new Difference(Difference.Kind.REJECTED, key, reason))
                    .orElseGet(() -> new Difference(Difference.Kind.PENDING, key, row.filename() + " is not migrated"));
        }
        Path placed;
        try {
            placed = site.location(row.fileFilename(), row.fileHash(), site.isProtected(row));
        } catch (ItemRejectedException e) {
            return new Difference(Difference.Kind.DIFFER, key, e.getMessage());
        }
        try {
            if (!Files.isRegularFile(placed)) {
                return new Difference(Difference.Kind.MISSING, key, "no file at " + site.assets().relative(placed));
            }
            String sha1 = AssetsFolder.sha1(placed);
            return sha1.equals(row.fileHash()) ? new Difference(Difference.Kind.MATCH, key, "")
                    : new Difference(Difference.Kind.DIFFER, key, site.assets().relative(placed) + " has SHA-1 "
                    + sha1 + ", the row says " + row.fileHash());
        } catch (IOException e) {
            return new Difference(Difference.Kind.MISSING, key, "cannot read " + placed + ": " + e.getMessage());
        }
    }

    /**
     * Why the site itself stops a row that is not migrated from being migrated, as a run would reject it: an
     * extension not allowed that is not to be deleted, a file missing or matched by several without regard to case.
     */
    private Optional<String> refusal(FileRow row) {
        try {
            site.assets().find(row.legacyPath());
        } catch (ItemRejectedException e) {
            return Optional.of(e.getMessage());
        }
        String extension = FileNames.extension(row.name());
        return isAllowed(extension) || site.rules().deleteInvalidFiles() ? Optional.empty()
                : Optional.of(invalidRejection(row, extension, false));
    }

    private static String invalidReason(String extension) {
        return extension.isEmpty() ? "it has no extension"
                : "its extension '" + extension + "' is not in site.allowed-extensions";
    }

    /** A row the database already calls migrated: unlink its SS3 path if a kill left it beside the SS4 one. */
    private Outcome finishInterrupted(FileRow row) throws IOException {
        boolean isProtected = site.isProtected(row);
        Path placed = site.location(row.fileFilename(), row.fileHash(), isProtected);
        Path legacy = site.assets().resolve(row.legacyPath());
        if (!site.rules().keepArchivedAssets() && Files.isRegularFile(legacy) && Files.isRegularFile(placed)
                && !legacy.equals(placed) && Files.isSameFile(legacy, placed)) {
            site.assets().remove(legacy);
            return Outcome.of("migrated, finished an interrupted move");
        }
        return Outcome.of("already migrated");
    }
}
