package io.caravan.silverstripe;

import com.zaxxer.hikari.HikariDataSource;
import io.caravan.item.CloseableIterator;
import io.caravan.item.Identities;
import io.caravan.item.JobFatalException;
import io.caravan.item.JdbcCursor;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A SilverStripe site's database over JDBC, MySQL/MariaDB or PostgreSQL: identifiers are quoted the driver's way,
 * since SilverStripe's PostgreSQL adapter creates them case-sensitive ({@code "File"."FileFilename"}).
 */
public final class SiteDatabase implements AutoCloseable {

    private final HikariDataSource db;
    private final String fileTable;
    private volatile String quote;
    private volatile List<String> liveColumns;

    public SiteDatabase(HikariDataSource db, String fileTable) {
        this.db = db;
        this.fileTable = fileTable;
    }

    /** The database and its file table, as a ledger scope names them. */
    public String identity() {
        return Identities.jdbc(db.getJdbcUrl(), "") + " table " + fileTable;
    }

    public void check() {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT count(*) FROM " + q(fileTable))) {
            ps.executeQuery().close();
        } catch (SQLException e) {
            throw new JobFatalException("site.jdbc-url: the site's " + fileTable + " table cannot be read: "
                    + e.getMessage(), e);
        }
    }

    /** An identifier, quoted: {@code `File`} on MySQL, {@code "File"} on PostgreSQL. */
    public String q(String identifier) {
        String qs = quote;
        if (qs == null) {
            try (Connection c = db.getConnection()) {
                qs = c.getMetaData().getIdentifierQuoteString().strip();
            } catch (SQLException e) {
                throw new JobFatalException("site.jdbc-url: cannot reach the site's database: " + e.getMessage(), e);
            }
            quote = qs;
        }
        return qs + identifier + qs;
    }

    public String file() {
        return q(fileTable);
    }

    public String live() {
        return q(fileTable + "_Live");
    }

    public String versions() {
        return q(fileTable + "_Versions");
    }

    String fileTable() {
        return fileTable;
    }

    public String col(String name) {
        return q(name);
    }

    /** Streams a query's rows through {@code mapper}, a cursor at a time; nulls from the mapper are skipped. */
    public <T> CloseableIterator<T> stream(String sql, JdbcCursor.RowMapper<T> mapper, Object... params) {
        return JdbcCursor.stream(db, "the site's database", sql, mapper, params);
    }

    public <T> List<T> list(String sql, JdbcCursor.RowMapper<T> mapper, Object... params) {
        List<T> rows = new ArrayList<>();
        try (CloseableIterator<T> it = stream(sql, mapper, params)) {
            it.forEachRemaining(rows::add);
        }
        return rows;
    }

    /** Runs {@code work} in one transaction, committed when it returns. */
    public <T> T inTransaction(Work<T> work) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    public static int update(Connection c, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            bind(ps, params);
            return ps.executeUpdate();
        }
    }

    /** Publishes the File row: its Live copy becomes the draft's, column for column. */
    public void publish(Connection c, long id) throws SQLException {
        List<String> columns = liveColumns(c);
        String list = String.join(", ", columns.stream().map(this::q).toList());
        update(c, "DELETE FROM " + live() + " WHERE " + q("ID") + " = ?", id);
        update(c, "INSERT INTO " + live() + " (" + list + ") SELECT " + list + " FROM " + file()
                + " WHERE " + q("ID") + " = ?", id);
    }

    /** The columns File and File_Live share; read once. */
    private List<String> liveColumns(Connection c) throws SQLException {
        List<String> cols = liveColumns;
        if (cols == null) {
            List<String> shared = sharedColumns(c, "_Live");
            if (shared.isEmpty()) {
                throw new JobFatalException("the site's database has no " + fileTable + "_Live table to publish to");
            }
            cols = liveColumns = shared;
        }
        return cols;
    }

    /** The columns File shares with the table named File + {@code suffix}; none when that table does not exist. */
    List<String> sharedColumns(Connection c, String suffix) throws SQLException {
        Set<String> draft = columns(c, fileTable);
        Set<String> shared = new LinkedHashSet<>();
        for (String col : columns(c, fileTable + suffix)) {
            if (draft.contains(col)) {
                shared.add(col);
            }
        }
        return List.copyOf(shared);
    }

    /** A table's columns, as the database spells them; looked up as given, then in the case the database folds to. */
    private static Set<String> columns(Connection c, String table) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        Set<String> names = new LinkedHashSet<>();
        for (String candidate : List.of(table, table.toLowerCase(Locale.ROOT))) {
            try (ResultSet rs = meta.getColumns(c.getCatalog(), null, candidate, null)) {
                while (rs.next()) {
                    if (rs.getString("TABLE_NAME").equals(candidate)) {
                        names.add(rs.getString("COLUMN_NAME"));
                    }
                }
            }
            if (!names.isEmpty()) {
                break;
            }
        }
        return names;
    }

    private static void bind(PreparedStatement ps, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
    }

    @Override
    public void close() {
        db.close();
    }

    @FunctionalInterface
    public interface Work<T> {
        T run(Connection c) throws SQLException;
    }
}
