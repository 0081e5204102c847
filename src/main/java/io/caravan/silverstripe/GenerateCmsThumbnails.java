package io.caravan.silverstripe;

import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;
import io.caravan.item.ItemRejectedException;
import io.caravan.silverstripe.files.FileNames;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code generate-cms-thumbnails}: the two previews SilverStripe 4's CMS shows for an image (the asset admin's
 * 352×264 and the upload field's 60×60, both FitMax), made ahead of time beside the image as its variants, on the
 * job's workers. An image over {@code site.cms-thumbnail-max-bytes} is skipped, as the CMS would; decoding
 * subsamples, so memory per worker stays near the thumbnail's size, not the image's.
 */
public final class GenerateCmsThumbnails implements Subtask {

    private static final List<ThumbnailMaker.Box> BOXES = List.of(new ThumbnailMaker.Box(352, 264),
            new ThumbnailMaker.Box(60, 60));

    private final Site site;
    private final long maxBytes;

    public GenerateCmsThumbnails(Site site, long maxBytes) {
        this.site = site;
        this.maxBytes = maxBytes;
    }

    @Override
    public String name() {
        return "generate-cms-thumbnails";
    }

    /** Migrated rows whose extension makes them an Image. */
    @Override
    public CloseableIterator<Item> work() {
        return CloseableIterator.filterMap(Listings.migratedFiles(site.db()),
                row -> site.rules().isImage(FileNames.extension(row.fileFilename()))
                        ? Item.ofRecord("Image/" + row.id(), row.fileHash(), row.toJson()) : null);
    }

    @Override
    public Outcome perform(String key, byte[] record) throws IOException, SQLException {
        FileRow row = FileRow.fromJson(record);
        boolean isProtected = site.isProtected(row);
        Path image = site.location(row.fileFilename(), row.fileHash(), isProtected);
        if (!Files.isRegularFile(image)) {
            throw new ItemRejectedException("transfer", "File #" + row.id() + ": no file at "
                    + site.assets().relative(image) + " to make CMS thumbnails of");
        }
        long size = Files.size(image);
        if (size > maxBytes) {
            return Outcome.of("skipped: larger than site.cms-thumbnail-max-bytes");
        }
        String format = FileNames.extension(row.fileFilename()).toLowerCase(Locale.ROOT);
        List<ThumbnailMaker.Wanted> missing = new ArrayList<>();
        for (ThumbnailMaker.Box box : BOXES) {
            Path thumbnail = site.location(row.fileFilename(), row.fileHash(), isProtected, "FitMax" + box.encoded());
            if (!Files.exists(thumbnail)) {
                missing.add(new ThumbnailMaker.Wanted(box, thumbnail));
            }
        }
        if (missing.isEmpty()) {
            return Outcome.of("already there");
        }
        if (!ThumbnailMaker.fitMax(image, missing, format)) {
            return Outcome.of("skipped: no decoder for " + format);
        }
        return new Outcome("generated", "-", size);
    }
}
