package io.caravan.silverstripe;

import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code fix-secureassets}: the secureassets module guarded a restricted SS3 folder with an {@code .htaccess} that
 * sent every request through SilverStripe. SilverStripe 4 enforces the same restriction from the folder's own
 * CanViewType (kept as it is), its files being in the protected store, so the module's {@code .htaccess} goes. One
 * that differs from the module's text in any line is someone's own and stays.
 */
public final class FixSecureAssets implements Subtask {

    private static final List<Pattern> MODULE_LINES = List.of(
            Pattern.compile("RewriteEngine On"),
            Pattern.compile("RewriteBase .*"),
            Pattern.compile("RewriteCond %\\{REQUEST_URI} \\^\\(\\.\\*\\)\\$"),
            Pattern.compile("RewriteRule \\.\\* .*main\\.php\\?url=%1 \\[QSA]"));

    private final Site site;

    public FixSecureAssets(Site site) {
        this.site = site;
    }

    @Override
    public String name() {
        return "fix-secureassets";
    }

    /** Restricted folders (LoggedInUsers, OnlyTheseUsers) that still hold an {@code .htaccess}. */
    @Override
    public CloseableIterator<Item> work() {
        String restricted = site.db().col("CanViewType") + " IN ('LoggedInUsers', 'OnlyTheseUsers')";
        return CloseableIterator.filterMap(Listings.folderRows(site.db(), restricted),
                row -> Files.isRegularFile(htaccess(row)) ? Listings.folderItem(row) : null);
    }

    @Override
    public Outcome perform(String key, byte[] record) throws IOException {
        Path file = htaccess(FileRow.fromJson(record));
        if (!Files.isRegularFile(file)) {
            return Outcome.of("already removed");
        }
        if (!isModuleFile(Files.readString(file, StandardCharsets.UTF_8))) {
            return Outcome.of("kept: " + site.assets().relative(file) + " is not the secureassets module's");
        }
        Files.delete(file);
        return Outcome.of("removed " + site.assets().relative(file));
    }

    private Path htaccess(FileRow folder) {
        String path = site.folders().path(folder.id());
        return site.assets().resolve(path.isEmpty() ? ".htaccess" : path + "/.htaccess");
    }

    /** Exactly the module's four lines (any RewriteBase, any path to main.php), nothing before, between or after. */
    static boolean isModuleFile(String text) {
        String[] lines = text.split("\n", -1);
        if (lines.length != MODULE_LINES.size()) {
            return false;
        }
        for (int i = 0; i < lines.length; i++) {
            if (!MODULE_LINES.get(i).matcher(lines[i]).matches()) {
                return false;
            }
        }
        return true;
    }
}
