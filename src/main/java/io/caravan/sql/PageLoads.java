package io.caravan.sql;

import io.caravan.item.ItemRejectedException;
import io.caravan.item.JobFatalException;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/**
 * The page ranges of a first copy by pages ({@link PagedCopies}) loaded into a table whose key is still to come, in
 * {@value #TABLE} at the target, each written in the range's own transaction. A generation's first range empties the
 * table of whatever an earlier, unfinished copy left (it read another snapshot), and a range loaded already in its
 * generation (its commit went through, the ledger's record did not) is not loaded twice. Dropped with
 * {@link KeyAfterLoad}'s tables once no key is pending.
 */
final class PageLoads {

    static final String TABLE = "caravan_loaded_pages";
    /** The first page of a generation's own row, written when it took the table over. */
    private static final long TAKEN = -1;

    private final String schema;
    private final KeyAfterLoad keyAfterLoad;
    /** The tables and generations this process saw taken over: their later ranges skip the lock ({@link #claim}). */
    private final Set<String> taken = ConcurrentHashMap.newKeySet();

    PageLoads(String schema, KeyAfterLoad keyAfterLoad) {
        this.schema = schema;
        this.keyAfterLoad = keyAfterLoad;
    }

    static String createStatement(String qualified) {
        return "CREATE TABLE IF NOT EXISTS " + qualified + " (tbl text NOT NULL, generation text NOT NULL,"
                + " first_page bigint NOT NULL, PRIMARY KEY (tbl, generation, first_page))";
    }

    /**
     * Makes the table the generation's: the first range of a generation empties it, under a lock that the ranges of
     * other tables and workers wait for only while it is taken.
     */
    void takeOver(DataSource db, Table table, String generation) {
        String mine = table.name() + "\n" + generation;
        if (taken.contains(mine)) {
            return;
        }
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_xact_lock(hashtext(" + Table.literal(qualified()) + "))");
                s.execute(createStatement(qualified()));
                if (isTaken(c, table, generation, "")) {
                    c.commit();
                    taken.add(mine);
                    return;
                }
                if (!keyAfterLoad.isPending(c, table)) {
                    throw new ItemRejectedException("transfer", "table " + table.qualified() + " has its primary key"
                            + " at the target: a first copy by pages loads only a table whose key is still to come");
                }
                s.execute("TRUNCATE " + table.qualified());
                keyAfterLoad.forgetLoaded(c, table);
                record(c, table, generation, TAKEN);
                c.commit();
                taken.add(mine);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new JobFatalException("cannot prepare " + table.qualified() + " for a copy by pages at the target: "
                    + e.getMessage(), e);
        }
    }

    /**
     * In the range's transaction: true when the range is this generation's to load now; false when it was loaded
     * already. A generation that a later run's took over since is refused.
     */
    boolean claim(Connection c, Table table, PageRange range) throws SQLException {
        if (!isTaken(c, table, range.generation(), " FOR SHARE")) {
            throw new ItemRejectedException("transfer", "the copy of table " + table.qualified() + " by pages was"
                    + " started again by a later run: " + range.describe() + " belongs to an earlier one");
        }
        return record(c, table, range.generation(), range.firstPage());
    }

    /** Whether every range of the table's copy by pages in this run is loaded. */
    boolean allLoaded(DataSource db, Table table, PagedCopies.PagedTable paged) {
        try (Connection c = db.getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
                ps.setString(1, qualified());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !rs.getBoolean(1)) {
                        return false;
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + qualified()
                    + " WHERE tbl = ? AND generation = ? AND first_page <> " + TAKEN)) {
                ps.setString(1, table.name());
                ps.setString(2, paged.generation());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getLong(1) == paged.ranges();
                }
            }
        } catch (SQLException e) {
            throw new JobFatalException("cannot read " + qualified() + " at the target: " + e.getMessage(), e);
        }
    }

    private boolean isTaken(Connection c, Table table, String generation, String lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + qualified()
                + " WHERE tbl = ? AND generation = ? AND first_page = " + TAKEN + lock)) {
            ps.setString(1, table.name());
            ps.setString(2, generation);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private boolean record(Connection c, Table table, String generation, long firstPage) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + qualified() + " (tbl, generation, first_page)"
                + " VALUES (?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, table.name());
            ps.setString(2, generation);
            ps.setLong(3, firstPage);
            return ps.executeUpdate() == 1;
        }
    }

    private String qualified() {
        return Table.quote(schema) + "." + Table.quote(TABLE);
    }
}
