package io.caravan.sql;

import io.caravan.item.JobFatalException;
import io.caravan.job.JobRun;

import javax.sql.DataSource;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * A table Caravan creates at a PostgreSQL target is loaded without its primary key, which is added once every
 * chunk is in, as pg_dump and pgcopydb do: the load then maintains no index. With no key to empty a chunk's range
 * cheaply, two small tables in the target schema keep a first copy exact across kills:
 * {@value #PENDING} lists the tables whose key is still to come, and {@value #LOADED} the key range of each chunk
 * committed into them, written in the chunk's own transaction. A chunk whose range meets no loaded range holds
 * nothing at the target yet and is loaded as it is; one that meets some (it was committed but not recorded in the
 * ledger before a kill, or the source's chunks were cut anew since) empties its range first, by a scan of the table.
 * Both tables are dropped once no key is pending.
 */
final class KeyAfterLoad {

    static final String PENDING = "caravan_pending_keys";
    static final String LOADED = "caravan_loaded_chunks";

    private final String schema;

    KeyAfterLoad(String schema) {
        this.schema = schema;
    }

    /** Creates the table without its key and marks the key pending, in one transaction. */
    void createKeyless(DataSource db, Table table) {
        inTransaction(db, "create " + table.qualified(), c -> {
            try (Statement s = c.createStatement()) {
                s.execute(table.createStatement(false));
                s.execute("CREATE TABLE IF NOT EXISTS " + pending() + " (tbl text PRIMARY KEY)");
                s.execute("CREATE TABLE IF NOT EXISTS " + loaded() + " (tbl text NOT NULL, from_key text[],"
                        + " to_key text[])");
                s.execute(PageLoads.createStatement(pages()));
            }
            // records left by a table of that name dropped by hand since are not this table's
            forgetLoaded(c, table);
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + pending() + " (tbl) VALUES (?)"
                    + " ON CONFLICT DO NOTHING")) {
                ps.setString(1, table.name());
                ps.executeUpdate();
            }
        });
    }

    /** Forgets the chunks and page ranges loaded into the table: it is new. */
    private void forgetLoaded(Connection c, Table table) throws SQLException {
        for (String records : List.of(loaded(), pages())) {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + records + " WHERE tbl = ?")) {
                ps.setString(1, table.name());
                ps.executeUpdate();
            }
        }
    }

    /** Forgets the chunks loaded into the table: it was emptied ({@link PageLoads}). */
    void forgetLoadedChunks(Connection c, Table table) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + loaded() + " WHERE tbl = ?")) {
            ps.setString(1, table.name());
            ps.executeUpdate();
        }
    }

    /**
     * Records the whole table as loaded by pages, and its copy by pages as finished, in one transaction: every chunk
     * copied into it again empties its range first, and no range of that copy is loaded any more.
     */
    void recordLoadedWhole(DataSource db, Table table) {
        inTransaction(db, "record the load of " + table.qualified(), c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + loaded() + " (tbl, from_key, to_key)"
                    + " VALUES (?, NULL, NULL)")) {
                ps.setString(1, table.name());
                ps.executeUpdate();
            }
            PageLoads.retire(c, pages(), table);
        });
    }

    /** Whether the table's key is still to come (read in the chunk's transaction: a worker holds no state). */
    boolean isPending(Connection c, Table table) throws SQLException {
        if (!table.hasPrimaryKey() || !exists(c)) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + pending() + " WHERE tbl = ?")) {
            ps.setString(1, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /** Records the chunk's range as loaded; true when it meets a range loaded before (rows may be there). */
    boolean recordLoaded(Connection c, Table table, Chunk chunk) throws SQLException {
        boolean meets;
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM " + loaded() + " m WHERE m.tbl = ?"
                + (chunk.from() == null ? "" : " AND (m.to_key IS NULL OR " + loadedRow(table, "to_key") + " > "
                + Chunk.row(table, chunk.from()) + ")")
                + (chunk.to() == null ? "" : " AND (m.from_key IS NULL OR " + loadedRow(table, "from_key") + " < "
                + Chunk.row(table, chunk.to()) + ")") + " LIMIT 1")) {
            ps.setString(1, table.name());
            try (ResultSet rs = ps.executeQuery()) {
                meets = rs.next();
            }
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO " + loaded() + " (tbl, from_key, to_key)"
                + " VALUES (?, ?, ?)")) {
            ps.setString(1, table.name());
            ps.setArray(2, textArray(c, chunk.from()));
            ps.setArray(3, textArray(c, chunk.to()));
            ps.executeUpdate();
        }
        return meets;
    }

    /**
     * Adds the pending keys of these tables, each with its chunks' records in one transaction, and drops the two
     * tables once none is pending. A key that cannot be added (a value twice) fails the run, naming the table.
     */
    void addPendingKeys(DataSource db, Collection<Table> tables, JobRun run) {
        for (Table table : tables) {
            boolean pending;
            try (Connection c = db.getConnection()) {
                pending = isPending(c, table);
            } catch (SQLException e) {
                throw new JobFatalException("cannot read " + pending() + ": " + e.getMessage(), e);
            }
            if (!pending) {
                continue;
            }
            long started = System.nanoTime();
            inTransaction(db, "add the primary key of " + table.qualified(), c -> {
                try (Statement s = c.createStatement()) {
                    s.execute(PageLoads.createStatement(pages())); // a key pending since a Caravan without it
                    s.execute(table.addKeyStatement());
                }
                for (String done : List.of(loaded(), pages(), pending())) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + done + " WHERE tbl = ?")) {
                        ps.setString(1, table.name());
                        ps.executeUpdate();
                    }
                }
            });
            run.addStep(String.format("added the primary key of %s after the load in %.1f s", table.qualified(),
                    (System.nanoTime() - started) / 1e9));
        }
        inTransaction(db, "drop " + pending(), c -> {
            if (!exists(c)) {
                return;
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1 FROM " + pending())) {
                if (!rs.next()) {
                    s.execute("DROP TABLE " + pending() + ", " + loaded() + ", " + pages());
                }
            }
        });
    }

    /** The tables whose key is pending, to name in the report of a run that is not complete. */
    List<String> pendingTables(DataSource db) {
        List<String> names = new ArrayList<>();
        try (Connection c = db.getConnection()) {
            if (exists(c)) {
                try (Statement s = c.createStatement();
                     ResultSet rs = s.executeQuery("SELECT tbl FROM " + pending() + " ORDER BY tbl")) {
                    while (rs.next()) {
                        names.add(rs.getString(1));
                    }
                }
            }
        } catch (SQLException e) {
            throw new JobFatalException("cannot read " + pending() + ": " + e.getMessage(), e);
        }
        return names;
    }

    private boolean exists(Connection c) throws SQLException {
        return Catalog.tableExists(c, pending());
    }

    /** A loaded range's bound as a row of the key's types, to compare with a chunk's bound. */
    private static String loadedRow(Table table, String column) {
        return IntStream.range(0, table.primaryKey().size())
                .mapToObj(i -> "(m." + column + ")[" + (i + 1) + "]::"
                        + table.column(table.primaryKey().get(i)).comparableType())
                .collect(Collectors.joining(", ", "(", ")"));
    }

    private static Array textArray(Connection c, List<String> key) throws SQLException {
        return key == null ? null : c.createArrayOf("text", key.toArray());
    }

    private String pending() {
        return Table.quote(schema) + "." + Table.quote(PENDING);
    }

    private String pages() {
        return Table.quote(schema) + "." + Table.quote(PageLoads.TABLE);
    }

    private String loaded() {
        return Table.quote(schema) + "." + Table.quote(LOADED);
    }

    private interface Work {
        void run(Connection c) throws SQLException;
    }

    private static void inTransaction(DataSource db, String what, Work work) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                work.run(c);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new JobFatalException("cannot " + what + " at the target: " + e.getMessage(), e);
        }
    }
}
