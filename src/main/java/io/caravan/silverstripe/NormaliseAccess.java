package io.caravan.silverstripe;

import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;
import io.caravan.item.ItemRejectedException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code normalise-access} (opt-in): a migrated file found in the wrong store, public while a view restriction
 * applies to it or protected while none does (a restriction changed since it was migrated), moves to the store its
 * restriction calls for, with its variants ({@code name__Variant.ext}). The database is not changed.
 */
public final class NormaliseAccess implements Subtask {

    private final Site site;

    public NormaliseAccess(Site site) {
        this.site = site;
    }

    @Override
    public String name() {
        return "normalise-access";
    }

    /** Every migrated file; the fingerprint is its restriction, so a changed one is looked at again. */
    @Override
    public CloseableIterator<Item> work() {
        return CloseableIterator.filterMap(Listings.migratedFiles(site.db()), row -> Item.ofRecord("File/" + row.id(),
                site.isProtected(row) + ":" + row.fileHash(), row.toJson()));
    }

    @Override
    public Outcome perform(String key, byte[] record) throws IOException {
        FileRow row = FileRow.fromJson(record);
        boolean isProtected = site.isProtected(row);
        Path wanted = site.location(row.fileFilename(), row.fileHash(), isProtected);
        Path other = site.location(row.fileFilename(), row.fileHash(), !isProtected);
        if (!Files.isRegularFile(other) || Files.exists(wanted) && Files.isSameFile(wanted, other)) {
            if (!Files.isRegularFile(wanted)) {
                throw new ItemRejectedException("transfer", "File #" + row.id() + " (" + row.fileFilename()
                        + "): its file is in neither store");
            }
            return Outcome.of("in place");
        }
        if (Files.exists(wanted)) {
            throw new ItemRejectedException("transfer", "File #" + row.id() + " (" + row.fileFilename()
                    + ") is in both stores; remove one, then run again");
        }
        List<Path[]> moves = new ArrayList<>();
        moves.add(new Path[] {other, wanted});
        moves.addAll(variants(other, wanted));
        for (Path[] move : moves) {
            AssetsFolder.place(move[0], move[1]);
            site.assets().remove(move[0]);
        }
        return new Outcome(isProtected ? "moved to the protected store" : "moved to the public store",
                row.fileHash(), Files.size(wanted));
    }

    /** The file's variants beside it, {@code base__*.ext}, each with where it goes beside the moved file. */
    private static List<Path[]> variants(Path from, Path to) throws IOException {
        String name = from.getFileName().toString();
        int dot = name.indexOf('.');
        String base = dot < 0 ? name : name.substring(0, dot);
        List<Path[]> found = new ArrayList<>();
        try (DirectoryStream<Path> siblings = Files.newDirectoryStream(from.getParent(), base + "__*")) {
            for (Path v : siblings) {
                found.add(new Path[] {v, to.resolveSibling(v.getFileName())});
            }
        }
        return found;
    }
}
