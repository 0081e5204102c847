package io.caravan.ckanfiles;

import com.zaxxer.hikari.HikariDataSource;
import io.caravan.job.ConfigException;
import io.caravan.job.JobSettings;
import io.caravan.ledger.Ledger;
import io.caravan.source.ItemSource;

import java.nio.file.Path;

/** The ckanfiles pack's source, built from a job's settings; every ckanfiles setting and default is read here. */
public final class CkanStorageEdges {

    private CkanStorageEdges() {
    }

    /**
     * {@code source.type = ckan-storage}: {@code source.storage-path} (CKAN's {@code ckan.storage_path}), CKAN's
     * database ({@code source.jdbc-url}, {@code .user}, {@code .password}), {@code source.deleted-owners}
     * ({@code skip} or {@code migrate}), and the rewrite: {@code rewrite = none | sql} with
     * {@code rewrite.url-prefix}, the target's public address that each key is appended to.
     */
    public static ItemSource source(Path home, Path dataDir, JobSettings s, Ledger ledger, HikariDataSource ckanDb) {
        String deleted = s.string("source.deleted-owners", "skip");
        if (!deleted.equals("skip") && !deleted.equals("migrate")) {
            throw new ConfigException("source.deleted-owners '" + deleted + "' is not one of: skip, migrate");
        }
        CkanStorageDatabase db = new CkanStorageDatabase(ckanDb);
        String mode = s.string("rewrite", "none");
        Path mappings = dataDir.resolve("ckanfiles/" + s.job());
        OwnerRewrite rewrite = switch (mode) {
            case "none" -> null;
            case "sql" -> new OwnerRewrite(db, ledger, s.required("rewrite.url-prefix"), mappings,
                    home.resolve(s.required("source.storage-path")));
            default -> throw new ConfigException("rewrite '" + mode + "' is not one of: none, sql");
        };
        return new CkanStorageSource(home.resolve(s.required("source.storage-path")), db, deleted.equals("migrate"),
                s.flag("target.keep-verified", false), rewrite, mappings);
    }
}
