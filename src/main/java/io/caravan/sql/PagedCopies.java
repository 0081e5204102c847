package io.caravan.sql;

import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;
import io.caravan.item.JobFatalException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.BiFunction;
import javax.sql.DataSource;

/**
 * A run's first copies of tables whose key is in no order of their pages (a random UUID, as CKAN's tables have).
 * Such a table's chunks, ranges of keys, each lie all over it: reading them one by one through the key's index took
 * the source 51 s for 5,000,000 rows here, against 3.5 s for the same rows read as 100 ranges of pages.
 * <p>
 * So such a table is copied as ranges of pages ({@link PageRange}), all read in one snapshot that the run exports
 * and holds until it ends, as {@code pg_dump -j} and pgcopydb do: without it, a row updated during the copy onto a
 * page already read would be missed, or read twice. Once every range is loaded, the table's keys and row versions
 * are listed in the same snapshot, in key order, and cut into the chunks a later run lists; the run records those
 * chunks as done, so that the next run finds them unchanged and copies again only what changed since. A run that
 * stops before such a table is loaded whole cannot read that snapshot again: the next run copies the table again
 * from its start.
 */
final class PagedCopies implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(PagedCopies.class);

    private final DataSource db;
    private final long chunkRows;
    private final BiFunction<Table, String, CloseableIterator<Item>> keysInSnapshot;
    private final String generation = UUID.randomUUID().toString();
    private final List<PagedTable> copied = new ArrayList<>();
    private final Map<PagedTable, CompletableFuture<List<Chunk>>> listings = new HashMap<>();
    private final ExecutorService lister;
    private Connection holder;
    private String snapshot;

    /** A table this run copies by pages: its ranges' generation, and how many there are. */
    record PagedTable(Table table, String generation, int ranges) {
    }

    /**
     * @param keysInSnapshot a table's chunks as a listing in the given snapshot gives them
     */
    PagedCopies(DataSource db, long chunkRows, BiFunction<Table, String, CloseableIterator<Item>> keysInSnapshot) {
        this.db = db;
        this.chunkRows = chunkRows;
        this.keysInSnapshot = keysInSnapshot;
        this.lister = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "caravan-paged-copy-keys");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The page ranges of the table's first copy, or null when it is read by key ranges: a key in the order of its
     * pages, or a source older than PostgreSQL 14 (which reads a range of pages as a scan of the whole table).
     */
    synchronized CloseableIterator<Item> rangesOf(Table table) {
        try {
            if (!isScattered(table)) {
                return null;
            }
            openSnapshot();
            try (Statement s = holder.createStatement()) {
                // held until the run ends, as pg_dump holds its own: a rewrite of the table (VACUUM FULL, CLUSTER,
                // pg_repack, an ALTER TABLE) between two ranges' reads would move rows onto pages read already, and
                // the snapshot, which still sees them, would record them as copied
                s.execute("LOCK TABLE " + table.qualified() + " IN ACCESS SHARE MODE");
            }
            long pages;
            long perRange;
            try (PreparedStatement ps = holder.prepareStatement("SELECT pg_relation_size(c.oid) / current_setting("
                    + "'block_size')::bigint, c.relpages, c.reltuples FROM pg_class c WHERE c.oid = ?::regclass")) {
                ps.setString(1, table.qualified());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    pages = rs.getLong(1);
                    double rowsPerPage = rs.getLong(2) > 0 ? Math.max(1.0, rs.getDouble(3) / rs.getLong(2)) : 1.0;
                    perRange = Math.max(1, (long) Math.ceil(chunkRows / rowsPerPage));
                }
            }
            LOG.info("copying {} by ranges of {} pages in one snapshot: its key's order is not its pages'",
                    table.qualified(), perRange);
            List<Item> ranges = new ArrayList<>();
            for (long first = 0; first == 0 || first < pages; first += perRange) {
                // the last range is open: pages the table grew by since its size was read hold no row of the snapshot
                long end = first + perRange >= pages ? -1 : first + perRange;
                ranges.add(new PageRange(table.name(), generation, snapshot, first, end).item());
            }
            copied.add(new PagedTable(table, generation, ranges.size()));
            return CloseableIterator.of(ranges.iterator(), () -> { });
        } catch (SQLException e) {
            throw new JobFatalException("cannot list table " + table.qualified() + ": " + e.getMessage(), e);
        }
    }

    /** Asked before the snapshot is taken: a run with no such table holds none. */
    private boolean isScattered(Table table) throws SQLException {
        try (Connection c = db.getConnection()) {
            return c.getMetaData().getDatabaseMajorVersion() >= 14 && SqlSource.isScattered(c, table);
        }
    }

    private void openSnapshot() throws SQLException {
        if (holder != null) {
            return;
        }
        Connection c = db.getConnection();
        try {
            try (Statement s = c.createStatement()) {
                // idle in its transaction until the run ends: a server's timeout for that would end the snapshot
                // (pg_dump sets the same for its own)
                s.execute("SET idle_in_transaction_session_timeout = 0");
            }
            c.setAutoCommit(false);
            c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
            try (PreparedStatement ps = c.prepareStatement("SELECT pg_export_snapshot()");
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                snapshot = rs.getString(1);
            }
            holder = c;
        } catch (SQLException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    private List<Chunk> chunksOf(Table table, String exported) {
        List<Chunk> chunks = new ArrayList<>();
        try (CloseableIterator<Item> keys = keysInSnapshot.apply(table, exported)) {
            while (keys.hasNext()) {
                chunks.add(Chunk.of(keys.next()));
            }
        }
        return chunks;
    }

    /** The tables this run copies by pages. */
    synchronized List<PagedTable> tables() {
        return List.copyOf(copied);
    }

    /**
     * Starts listing a table copied by pages, after the others on a thread of its own: once every range of its pages
     * is loaded, while the target adds its key (one core's work: on 2 cores, a listing of 5,000,000 keys during the
     * copy held the copy back as much).
     */
    synchronized void startListing(PagedTable paged) {
        String exported = snapshot;
        listings.computeIfAbsent(paged, t -> CompletableFuture.supplyAsync(() -> chunksOf(t.table(), exported),
                lister));
    }

    /** The table's chunks, listed in the snapshot its pages were read in. */
    List<Chunk> chunks(PagedTable paged) {
        startListing(paged);
        CompletableFuture<List<Chunk>> listing;
        synchronized (this) {
            listing = listings.get(paged);
        }
        return listing.join();
    }

    /** Ends the snapshot: once every page range was read, or the run ended. */
    @Override
    public synchronized void close() {
        lister.shutdownNow();
        if (holder != null) {
            try (Connection c = holder; Statement s = c.createStatement()) {
                c.rollback();
                s.execute("RESET idle_in_transaction_session_timeout"); // the connection goes back to the pool
            } catch (SQLException ignored) {
                // the pool drops a connection that is broken
            }
            holder = null;
        }
    }
}
