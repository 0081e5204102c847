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
 * generation (its commit went through, the ledger's record did not) is not loaded twice. An earlier generation, and
 * one whose copy is over, is retired: its ranges are refused. A copy by ranges of keys into the table empties what an
 * unfinished copy by pages left ({@link #emptyUnfinished}). Dropped with {@link KeyAfterLoad}'s tables once no key is
 * pending.
 */
final class PageLoads {

    static final String TABLE = "caravan_loaded_pages";
    /** The first page of a generation's own row, written when it took the table over. */
    private static final long TAKEN = -1;
    /**
     * What that row becomes when a later generation takes the table over, or the generation's copy is finished: kept,
     * so that a range of it still in a worker's hands cannot take the table over again (and empty it) afterwards.
     */
    private static final long RETIRED = -2;

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
                if (has(c, table, generation, TAKEN, "")) {
                    c.commit();
                    taken.add(mine);
                    return;
                }
                if (has(c, table, generation, RETIRED, "")) {
                    throw startedAgain(table, generation);
                }
                if (!keyAfterLoad.isPending(c, table)) {
                    throw new ItemRejectedException("transfer", "table " + table.qualified() + " has its primary key"
                            + " at the target: a first copy by pages loads only a table whose key is still to come");
                }
                s.execute("TRUNCATE " + table.qualified());
                keyAfterLoad.forgetLoadedChunks(c, table);
                retire(c, qualified(), table);
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
        if (!has(c, table, range.generation(), TAKEN, " FOR SHARE")) {
            throw startedAgain(table, range.generation());
        }
        return record(c, table, range.generation(), range.firstPage());
    }

    private static ItemRejectedException startedAgain(Table table, String generation) {
        return new ItemRejectedException("transfer", "the copy of table " + table.qualified() + " by pages was"
                + " started again by a later run, or finished: its ranges of generation " + generation + " belong to"
                + " an earlier one");
    }

    /**
     * In a chunk's transaction, into a table whose key is still to come: empties the table when an earlier run's copy
     * by pages left it unfinished (its rows, read in another snapshot, would be there twice once the chunks of this
     * run's ranges of keys are in). Every chunk asks; the first empties it under the lock, the others wait for it.
     * True when it emptied the table.
     */
    boolean emptyUnfinished(Connection c, Table table) throws SQLException {
        if (!exists(c) || !hasTaken(c, table)) {
            return false;
        }
        try (Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_xact_lock(hashtext(" + Table.literal(qualified()) + "))");
            if (!hasTaken(c, table)) {
                return false; // another chunk's transaction emptied it
            }
            s.execute("TRUNCATE " + table.qualified());
        }
        keyAfterLoad.forgetLoadedChunks(c, table);
        retire(c, qualified(), table);
        return true;
    }

    /** Retires the table's copy by pages, if any: its rows stay, its ranges are loaded no more. */
    static void retire(Connection c, String pages, Table table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + pages + " SET first_page = " + RETIRED
                + " WHERE tbl = ? AND first_page = " + TAKEN)) {
            ps.setString(1, table.name());
            ps.executeUpdate();
        }
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + pages + " WHERE tbl = ? AND first_page >= 0")) {
            ps.setString(1, table.name());
            ps.executeUpdate();
        }
    }

    private boolean hasTaken(Connection c, Table table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + qualified() + " WHERE tbl = ? AND"
                + " first_page = " + TAKEN + " LIMIT 1")) {
            ps.setString(1, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private boolean exists(Connection c) throws SQLException {
        return Catalog.tableExists(c, qualified());
    }

    /** Whether every range of the table's copy by pages in this run is loaded. */
    boolean allLoaded(DataSource db, Table table, PagedCopies.PagedTable paged) {
        try (Connection c = db.getConnection()) {
            if (!exists(c)) {
                return false;
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + qualified()
                    + " WHERE tbl = ? AND generation = ? AND first_page >= 0")) {
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

    private boolean has(Connection c, Table table, String generation, long marker, String lock) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + qualified()
                + " WHERE tbl = ? AND generation = ? AND first_page = " + marker + lock)) {
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
