package io.caravan.silverstripe;

import io.caravan.item.JobFatalException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;

/**
 * The File table's version history, written as SilverStripe 4's FileMigrationHelper writes it through Versioned
 * ({@code writeToStage(Versioned::LIVE)}): the next version number (one more than the row's last in File_Versions,
 * so 1 for an SS3 row), set on the draft row, copied to File_Versions as published and draft, not deleted, with
 * author and publisher 0 (no member is logged in), then published to File_Live with it.
 */
final class FileVersions {

    /** Versioned's own columns; every other column File_Versions shares with File is copied from the draft row. */
    private static final Set<String> VERSIONED = Set.of("ID", "RecordID", "Version", "WasPublished", "WasDraft",
            "WasDeleted", "AuthorID", "PublisherID");

    private final SiteDatabase db;
    private volatile List<String> copied;

    FileVersions(SiteDatabase db) {
        this.db = db;
    }

    /** Writes the row's next version, published; in the caller's transaction. */
    void writePublished(Connection c, long id) throws SQLException {
        long version = next(c, id);
        SiteDatabase.update(c, "UPDATE " + db.file() + " SET " + db.col("Version") + " = ? WHERE " + db.col("ID")
                + " = ?", version, id);
        String columns = String.join(", ", copied(c).stream().map(db::q).toList());
        SiteDatabase.update(c, "INSERT INTO " + db.versions() + " (" + db.col("RecordID") + ", " + db.col("Version")
                + ", " + db.col("WasPublished") + ", " + db.col("WasDraft") + ", " + db.col("WasDeleted") + ", "
                + db.col("AuthorID") + ", " + db.col("PublisherID") + ", " + columns + ") SELECT " + db.col("ID")
                + ", " + db.col("Version") + ", 1, 1, 0, 0, 0, " + columns + " FROM " + db.file() + " WHERE "
                + db.col("ID") + " = ?", id);
        db.publish(c, id);
    }

    private long next(Connection c, long id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT MAX(" + db.col("Version") + ") FROM " + db.versions()
                + " WHERE " + db.col("RecordID") + " = ?")) {
            ps.setLong(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getLong(1) + 1 : 1;
            }
        }
    }

    private List<String> copied(Connection c) throws SQLException {
        List<String> cols = copied;
        if (cols == null) {
            List<String> versioned = db.sharedColumns(c, "_Versions");
            if (versioned.isEmpty()) {
                throw new JobFatalException("the site's database has no " + db.fileTable() + "_Versions table to write"
                        + " the files' history to: run dev/build with SilverStripe 4's code first");
            }
            cols = copied = versioned.stream().filter(col -> !VERSIONED.contains(col)).toList();
        }
        return cols;
    }
}
