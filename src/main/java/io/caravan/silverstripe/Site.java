package io.caravan.silverstripe;

import io.caravan.item.Identities;
import io.caravan.silverstripe.files.LegacyFileId;

import java.nio.file.Path;

/**
 * A SilverStripe site being upgraded in place: its database, its assets folder and its rules. Each subtask's job
 * opens its own, with its own connection pool.
 */
public final class Site implements AutoCloseable {

    private final SiteDatabase db;
    private final AssetsFolder assets;
    private final SiteRules rules;
    private final String description;
    private volatile FolderTree folders;

    public Site(SiteDatabase db, AssetsFolder assets, SiteRules rules, String description) {
        this.db = db;
        this.assets = assets;
        this.rules = rules;
        this.description = description;
    }

    public SiteDatabase db() {
        return db;
    }

    public AssetsFolder assets() {
        return assets;
    }

    public SiteRules rules() {
        return rules;
    }

    /** Reads the site's folders again: before each run lists its work, and before a verify. */
    public void loadFolders() {
        folders = FolderTree.load(db);
    }

    /** The folders as {@link #loadFolders()} last read them. */
    public FolderTree folders() {
        FolderTree tree = folders;
        if (tree == null) {
            throw new IllegalStateException("the site's folders are read at the start of a run");
        }
        return tree;
    }

    /** Whether a view restriction applies to the file, its own or inherited from its folders. */
    public boolean isProtected(FileRow row) {
        return folders().isProtected(row.canViewType(), row.parentId());
    }

    public void check() {
        assets.check();
        db.check();
    }

    public String describe() {
        return description;
    }

    /** The site's database and assets folder, as a ledger scope names them. */
    public String identity() {
        return "silverstripe:" + db.identity() + " assets " + Identities.folder(assets.root());
    }

    /** Where a file lives in SilverStripe 4: its natural path when public, its hash path in the protected store. */
    public Path location(String fileFilename, String fileHash, boolean isProtected) {
        return location(fileFilename, fileHash, isProtected, "");
    }

    /**
     * Where a variant of a file lives in SilverStripe 4 ({@code name__Variant.ext}), beside the file itself.
     *
     * @throws io.caravan.item.ItemRejectedException when the row's path would leave the assets folder
     */
    public Path location(String fileFilename, String fileHash, boolean isProtected, String variant) {
        return isProtected
                ? assets.resolve(AssetsFolder.PROTECTED + "/" + LegacyFileId.hashVariantPath(fileFilename, fileHash,
                variant))
                : assets.resolve(LegacyFileId.variantPath(fileFilename, variant));
    }

    @Override
    public void close() {
        db.close();
    }
}
