package io.caravan.ckanfiles;

import com.zaxxer.hikari.HikariDataSource;
import io.caravan.item.CloseableIterator;
import io.caravan.item.Identities;
import io.caravan.item.JobFatalException;
import io.caravan.item.JdbcCursor;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * CKAN's PostgreSQL database, for what owns each stored file: {@code resource} rows with {@code url_type = 'upload'},
 * and the {@code image_url} of {@code "group"} and {@code "user"} rows that is a stored name, not a link.
 */
final class CkanStorageDatabase implements AutoCloseable {

    private static final String RESOURCES = "SELECT r.id, p.name, r.state = 'deleted' OR p.state = 'deleted', r.url"
            + " FROM resource r JOIN package p ON p.id = r.package_id WHERE r.url_type = 'upload' ORDER BY r.id";
    private static final String IMAGES = "SELECT id, name, state = 'deleted', image_url FROM %s"
            + " WHERE image_url <> '' AND image_url NOT LIKE 'http://%%' AND image_url NOT LIKE 'https://%%'"
            + " ORDER BY name";

    private final HikariDataSource db;

    CkanStorageDatabase(HikariDataSource db) {
        this.db = db;
    }

    String identity() {
        return Identities.jdbc(db.getJdbcUrl(), "");
    }

    void check() {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM resource WHERE url_type = 'upload'")) {
            ps.executeQuery().close();
        } catch (SQLException e) {
            throw new JobFatalException("source.jdbc-url: CKAN's database cannot be read: " + e.getMessage(), e);
        }
    }

    /** Every owner of a stored file: resources in id order, then groups, then users, by name; streamed. */
    CloseableIterator<StoredFile> owners() {
        List<Supplier<CloseableIterator<StoredFile>>> parts = List.of(
                () -> query(RESOURCES, StoredFile.Owner.RESOURCE),
                () -> query(IMAGES.formatted("\"group\""), StoredFile.Owner.GROUP),
                () -> query(IMAGES.formatted("\"user\""), StoredFile.Owner.USER));
        return CloseableIterator.concat(parts);
    }

    private CloseableIterator<StoredFile> query(String sql, StoredFile.Owner owner) {
        return JdbcCursor.stream(db, "CKAN's " + owner.table() + " rows", sql, rs -> {
            String value = rs.getString(4);
            return new StoredFile(owner, rs.getString(1), rs.getString(2), rs.getBoolean(3),
                    StoredFile.lastSegment(value == null ? "" : value), value);
        });
    }

    /** The given resource ids that have an upload row (in any state). */
    Set<String> uploadResources(Collection<String> ids) {
        return strings("SELECT id FROM resource WHERE url_type = 'upload' AND id = ANY (?)", ids);
    }

    /** The given stored image names that a group (organization) or user row names. */
    Set<String> images(StoredFile.Owner owner, Collection<String> names) {
        return strings("SELECT image_url FROM " + owner.table() + " WHERE image_url = ANY (?)", names);
    }

    /** The site's settings (its logo, an admin upload, is one). */
    Set<String> systemValues() {
        return strings("SELECT value FROM system_info WHERE value IS NOT NULL", null);
    }

    /** The first column of a query's rows; {@code values}, when given, bound as its one text array. */
    private Set<String> strings(String sql, Collection<String> values) {
        Set<String> found = new HashSet<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            if (values != null) {
                Array array = c.createArrayOf("text", values.toArray());
                ps.setArray(1, array);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    found.add(rs.getString(1));
                }
            }
        } catch (SQLException e) {
            throw new JobFatalException("reading CKAN's database: " + e.getMessage(), e);
        }
        return found;
    }

    /**
     * What each owner's column holds now, by resource id or by group or user name: a resource only while it is
     * still an upload.
     */
    Map<String, Current> current(StoredFile.Owner owner, Collection<String> idsOrNames) {
        String sql = owner == StoredFile.Owner.RESOURCE
                ? "SELECT r.id, r.id, r.url, p.private FROM resource r JOIN package p ON p.id = r.package_id"
                        + " WHERE r.url_type = 'upload' AND r.id = ANY (?)"
                : "SELECT name, id, image_url, false FROM " + owner.table() + " WHERE name = ANY (?)";
        Map<String, Current> values = new HashMap<>();
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setArray(1, c.createArrayOf("text", idsOrNames.toArray()));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.put(rs.getString(1), new Current(rs.getString(2), rs.getString(3), rs.getBoolean(4)));
                }
            }
        } catch (SQLException e) {
            throw new JobFatalException("reading CKAN's database: " + e.getMessage(), e);
        }
        return values;
    }

    /** An owner's id and its column's value; {@code ofPrivateDataset} for a resource of a private dataset. */
    record Current(String id, String value, boolean ofPrivateDataset) {
    }

    /**
     * Sets each owner's column from one value to another, in one transaction; a row whose value is no longer the
     * expected one is left alone (someone changed it meanwhile). A resource pointed at a URL becomes a link
     * ({@code url_type = ''}); pointed back at its stored name, an upload again.
     *
     * @return how many rows changed
     */
    int update(List<Change> changes) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            int changed = 0;
            try {
                for (Change change : changes) {
                    String sql = change.owner() == StoredFile.Owner.RESOURCE
                            ? "UPDATE resource SET url = ?, url_type = ? WHERE id = ? AND url = ?"
                            : "UPDATE " + change.owner().table() + " SET image_url = ? WHERE id = ? AND image_url = ?";
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        int i = 1;
                        ps.setString(i++, change.to());
                        if (change.owner() == StoredFile.Owner.RESOURCE) {
                            ps.setString(i++, change.toUpload() ? "upload" : "");
                        }
                        ps.setString(i++, change.id());
                        ps.setString(i, change.from());
                        changed += ps.executeUpdate();
                    }
                }
                c.commit();
                return changed;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new JobFatalException("updating CKAN's database: " + e.getMessage(), e);
        }
    }

    /** One owner's column changed from one value to another; for a resource, whether it is an upload after. */
    record Change(StoredFile.Owner owner, String id, String from, String to, boolean toUpload) {
    }

    @Override
    public void close() {
        db.close();
    }
}
