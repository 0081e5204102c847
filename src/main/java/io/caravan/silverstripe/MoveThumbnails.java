package io.caravan.silverstripe;

import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;
import io.caravan.item.ItemRejectedException;
import io.caravan.item.JobFatalException;
import io.caravan.job.JobRun;
import io.caravan.silverstripe.files.LegacyFileId;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * {@code move-thumbnails}: every SS3 variant under a {@code _resampled} folder, in either SS3 style
 * ({@code _resampled/Var-Var-name.jpg} or {@code _resampled/Var/Var/name.jpg}), moves beside its image as
 * {@code name__Var_Var.jpg}, following the image to its SS4 place (renamed, or in the protected store). A variant
 * already there wins and the legacy one is deleted. Two kinds are left where they are, each counted under its own
 * outcome, not rejected (a rejection would come back on every run): SS 3.0–3.1's own names, which SilverStripe 4
 * cannot parse and regenerates, and the thumbnail of an image no row names any more, named in the run's report.
 * A {@code _resampled} folder goes once it is empty.
 */
public final class MoveThumbnails implements Subtask {

    static final String LEFT_SS31 = "left: SS 3.1 thumbnail, SS4 regenerates it";
    static final String LEFT_ORPHAN = "left: thumbnail of an image that is gone";
    private static final String RESAMPLED = "_resampled";
    private static final int FOLDERS_CACHED = 16;

    private final Site site;
    private final ReportLines orphans = new ReportLines("thumbnails of images that are gone");
    /** The rows of the folders whose variants are being moved; the walk meets a folder's variants together. */
    private final Map<Long, Map<String, FileRow>> folderRows = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, Map<String, FileRow>> eldest) {
            return size() > FOLDERS_CACHED;
        }
    };

    public MoveThumbnails(Site site) {
        this.site = site;
    }

    @Override
    public String name() {
        return "move-thumbnails";
    }

    @Override
    public void prepare(JobRun run) {
        orphans.start(run);
        synchronized (folderRows) {
            folderRows.clear();
        }
    }

    /** Every file under a {@code _resampled} folder of the public assets, walked lazily. */
    @Override
    public CloseableIterator<Item> work() {
        AssetsFolder assets = site.assets();
        try {
            Stream<Path> walk = Files.walk(assets.root())
                    .filter(p -> !p.startsWith(assets.protectedStore()))
                    .filter(p -> inResampled(assets.relative(p)))
                    .filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS));
            return CloseableIterator.filterMap(CloseableIterator.of(walk.iterator(), walk::close), p -> {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    String rel = assets.relative(p);
                    return Item.ofRecord(rel, a.size() + ":" + a.lastModifiedTime().toMillis(),
                            rel.getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    return null; // gone since it was listed: moved by move-files, say
                }
            });
        } catch (IOException e) {
            throw new JobFatalException("cannot walk " + assets.root() + ": " + e.getMessage(), e);
        } catch (UncheckedIOException e) {
            throw new JobFatalException("cannot walk " + assets.root() + ": " + e.getCause().getMessage(), e);
        }
    }

    @Override
    public Outcome perform(String key, byte[] record) throws IOException {
        String legacy = new String(record, StandardCharsets.UTF_8);
        Path variantFile = site.assets().resolve(legacy);
        if (!Files.isRegularFile(variantFile, LinkOption.NOFOLLOW_LINKS)) {
            return Outcome.of("already moved");
        }
        Optional<LegacyFileId> parsed = LegacyFileId.parse(legacy)
                .or(() -> LegacyFileId.parseAllowingDoubleUnderscores(legacy).filter(p -> rowOf(p.filename()) != null))
                .filter(p -> !p.variant().isEmpty());
        if (parsed.isEmpty() && LegacyFileId.isSs31Thumbnail(legacy)) {
            return Outcome.of(LEFT_SS31);
        }
        LegacyFileId id = parsed.orElseThrow(() -> new ItemRejectedException("transfer", "assets/" + legacy
                + " is not an SS3 variant name (<Method><base64 args>- prefixes, or one folder per variant); left in"
                + " place"));
        FileRow image = rowOf(id.filename());
        if (image == null) {
            orphans.add("left assets/" + legacy + ": no File row is its image, assets/" + id.filename());
            return Outcome.of(LEFT_ORPHAN);
        }
        Path destination = destinationOf(image, id, legacy);
        long size = Files.size(variantFile);
        if (Files.exists(destination, LinkOption.NOFOLLOW_LINKS)) {
            site.assets().remove(variantFile);
            return Outcome.of("dropped: " + site.assets().relative(destination) + " already exists");
        }
        Files.createDirectories(destination.getParent());
        Files.move(variantFile, destination, StandardCopyOption.ATOMIC_MOVE);
        site.assets().pruneEmpty(variantFile.getParent());
        return new Outcome("moved", "-", size);
    }

    /** Whether a path is under a {@code _resampled} folder (a folder's own path given with a slash after it). */
    private static boolean inResampled(String relative) {
        return ("/" + relative).contains("/" + RESAMPLED + "/");
    }

    /** Removes the {@code _resampled} folders a kill left empty between a move and the folder's removal. */
    @Override
    public void finish(JobRun run, boolean complete) {
        orphans.finish(run);
        AssetsFolder assets = site.assets();
        try (Stream<Path> walk = Files.walk(assets.root())) {
            List<Path> empty = walk.filter(p -> inResampled(assets.relative(p) + "/"))
                    .filter(Files::isDirectory).sorted(Comparator.reverseOrder()).toList();
            empty.forEach(assets::pruneEmpty);
        } catch (IOException | UncheckedIOException e) {
            run.addStep("could not look for empty _resampled folders: " + e.getMessage());
        }
    }

    /** Beside the image's SS4 file. */
    private Path destinationOf(FileRow row, LegacyFileId id, String legacy) {
        if (!row.isMigrated()) {
            throw new ItemRejectedException("transfer", "assets/" + legacy + " is a variant of " + row.filename()
                    + " (File #" + row.id() + "), which is not migrated yet; left in place");
        }
        return site.location(row.fileFilename(), row.fileHash(), site.isProtected(row), id.variant());
    }

    /** The row whose SS3 Filename is {@code assets/<original>}; null when none is. */
    private FileRow rowOf(String original) {
        int slash = original.lastIndexOf('/');
        long folderId = site.folders().idOf(slash < 0 ? "" : original.substring(0, slash));
        return folderId < 0 ? null : rowsOf(folderId).get("assets/" + original);
    }

    /** A folder's rows by their SS3 Filename, read once while its variants are moved. */
    private Map<String, FileRow> rowsOf(long folderId) {
        synchronized (folderRows) {
            Map<String, FileRow> rows = folderRows.get(folderId);
            if (rows == null) {
                rows = new HashMap<>();
                SiteDatabase db = site.db();
                for (FileRow r : db.list("SELECT " + FileRow.columns(db) + " FROM " + db.file() + " WHERE "
                        + db.col("ParentID") + " = ?", FileRow::of, folderId)) {
                    if (r.filename() != null) {
                        rows.put(r.filename(), r);
                    }
                }
                folderRows.put(folderId, rows);
            }
            return rows;
        }
    }
}
