package io.caravan.silverstripe;

import io.caravan.silverstripe.files.FileNames;

import java.nio.file.Path;

/**
 * A SilverStripe site being upgraded in place: its database, its assets folder and its rules. One per job, shared by
 * its subtasks.
 */
public final class Site implements AutoCloseable {

    private final SiteDatabase db;
    private final AssetsFolder assets;
    private final SiteRules rules;
    private final String description;

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

    public void check() {
        assets.check();
        db.check();
    }

    public String describe() {
        return description;
    }

    /** Where a file lives in SilverStripe 4: its natural path when public, its hash path in the protected store. */
    public Path location(String fileFilename, String fileHash, boolean isProtected) {
        return isProtected ? assets.protectedStore().resolve(FileNames.hashPath(fileFilename, fileHash))
                : assets.root().resolve(fileFilename);
    }

    @Override
    public void close() {
        db.close();
    }
}
