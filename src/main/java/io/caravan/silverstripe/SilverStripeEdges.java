package io.caravan.silverstripe;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.caravan.job.ConfigException;
import io.caravan.job.JdbcUrls;
import io.caravan.job.JobSettings;
import io.caravan.target.ItemTarget;

import java.nio.file.Path;
import java.util.List;

/**
 * The silverstripe pack's edges, built from a subtask's settings; every silverstripe setting and default is read
 * here. Source and target are the same site: the source lists a subtask's work, the target does it.
 */
public final class SilverStripeEdges {

    /** Every subtask, in the order a job runs them. */
    public static final List<String> SUBTASKS = List.of("move-files", "migrate-folders", "move-thumbnails",
            "generate-cms-thumbnails", "fix-folder-permissions", "fix-secureassets", "normalise-access",
            "rewrite-shortcodes");

    private SilverStripeEdges() {
    }

    /**
     * {@code source.type = silverstripe}: the site's database ({@code site.jdbc-url}, {@code .user},
     * {@code .password}, {@code site.file-table}), its {@code site.assets} folder, and the rules
     * ({@code site.allowed-extensions}, {@code site.image-extensions}, {@code site.delete-invalid-files},
     * {@code site.keep-archived-assets}); {@code subtask} says which piece of the migration this job is.
     */
    public static SubtaskSource source(Path home, JobSettings s, int workers) {
        String name = s.required("subtask");
        Site site = site(home, s, workers);
        try {
            return new SubtaskSource(site, subtask(name, site, s));
        } catch (RuntimeException e) {
            site.close();
            throw e;
        }
    }

    public static ItemTarget target(Object source) {
        if (!(source instanceof SubtaskSource work)) {
            throw new ConfigException("target.type 'silverstripe' goes with source.type 'silverstripe'");
        }
        return new SubtaskTarget(work.site(), work.subtask());
    }

    private static Subtask subtask(String name, Site site, JobSettings s) {
        return switch (name) {
            case "move-files" -> new MoveFiles(site);
            case "migrate-folders" -> new MigrateFolders(site);
            case "move-thumbnails" -> new MoveThumbnails(site);
            case "generate-cms-thumbnails" -> new GenerateCmsThumbnails(site,
                    s.bytes("site.cms-thumbnail-max-bytes", 9L << 20));
            case "fix-folder-permissions" -> new FixFolderPermissions(site);
            case "fix-secureassets" -> new FixSecureAssets(site);
            case "normalise-access" -> new NormaliseAccess(site);
            case "rewrite-shortcodes" -> new RewriteShortcodes(site, columns(s));
            default -> throw new ConfigException("subtask '" + name + "' is not one of: " + String.join(", ",
                    SUBTASKS));
        };
    }

    private static List<RewriteShortcodes.Column> columns(JobSettings s) {
        try {
            return s.list("shortcodes.columns").stream().map(RewriteShortcodes.Column::parse).toList();
        } catch (IllegalArgumentException e) {
            throw new ConfigException("shortcodes.columns: " + e.getMessage());
        }
    }

    private static Site site(Path home, JobSettings s, int workers) {
        String url = s.required("site.jdbc-url");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(s.string("site.user", null));
        config.setPassword(s.string("site.password", null));
        config.setMaximumPoolSize(workers + 2);
        config.setMinimumIdle(1); // a job's subtasks each hold a pool; only the running one needs many connections
        config.setPoolName("caravan-site-" + s.string("subtask", ""));
        config.setInitializationFailTimeout(-1); // check() says what is wrong, with the job's words
        // InnoDB's default (REPEATABLE READ) locks the gaps a publish's DELETE finds empty: workers deadlock
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        SiteRules rules = new SiteRules(
                SiteRules.extensions(s.list("site.allowed-extensions", SiteRules.DEFAULT_ALLOWED)),
                SiteRules.extensions(s.list("site.image-extensions", SiteRules.DEFAULT_IMAGES)),
                s.flag("site.delete-invalid-files", true), s.flag("site.keep-archived-assets", false));
        Path assets = home.resolve(s.required("site.assets"));
        return new Site(new SiteDatabase(new HikariDataSource(config), s.string("site.file-table", "File")),
                new AssetsFolder(assets), rules, JdbcUrls.withoutPassword(url) + " with " + assets);
    }
}
