package io.caravan.sql;

import com.zaxxer.hikari.HikariDataSource;
import io.caravan.item.CloseableIterator;
import io.caravan.item.Identities;
import io.caravan.item.Item;
import io.caravan.item.LookaheadIterator;
import io.caravan.item.ItemRejectedException;
import io.caravan.item.JobFatalException;
import io.caravan.item.RetryableException;
import io.caravan.job.JobRun;
import io.caravan.source.ItemSource;
import io.caravan.target.Md5;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.SQLException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import javax.sql.DataSource;

/**
 * Tables of a PostgreSQL database as chunks of rows in primary-key order ({@link Chunk}). Listing streams the
 * keys and each row's version ({@code xmin}) with a fetch size, never a whole table; a chunk's body is the output of
 * {@code COPY (SELECT …) TO STDOUT}, with the job's SQL transforms applied in the SELECT.
 */
public final class SqlSource implements ItemSource {

    private static final Logger LOG = LoggerFactory.getLogger(SqlSource.class);

    private final HikariDataSource db;
    private final String schema;
    private final List<String> tableNames;
    private final Map<String, Map<String, String>> transforms;
    private final int chunkRows;
    private final Map<String, RowTransform> rowTransforms;
    private volatile Map<String, Table> tables;
    private volatile Predicate<Table> binaryTables = table -> false;
    private final Supplier<RecordedCuts> recorded;

    /** A chunk's attribute: the format of its COPY stream, {@value #BINARY} or absent for text. */
    static final String FORMAT = "copy-format";
    static final String BINARY = "binary";
    /** A chunk's attribute, present when each row comes with its version as its last column ({@link VersionedRows}). */
    static final String VERSIONS = "copy-versions";
    /** The digest of a chunk cut from a sample: its rows were not listed, their digest is taken as they are copied. */
    static final String UNREAD = "unread";
    /** How many of a table's keys a sample takes for each chunk cut from it: chunks within a few percent of a size. */
    private static final long SAMPLED_KEYS_PER_CHUNK = 500;
    private volatile boolean firstCopiesSampled;
    private volatile Predicate<Table> pagesInto; // null: no first copy by pages
    private volatile Consumer<List<Chunk>> recordDone;
    private volatile boolean dryRun;
    private volatile PagedCopies paged; // the current run's

    /**
     * @param tableNames the tables to copy, in order; empty for every table of the schema
     * @param recorded   where the ledger's chunks cut the tables, read when a listing starts
     */
    SqlSource(HikariDataSource db, String schema, List<String> tableNames,
              Map<String, Map<String, String>> transforms, Map<String, RowTransform> rowTransforms,
              int chunkRows, Supplier<RecordedCuts> recorded) {
        this.recorded = recorded;
        this.rowTransforms = rowTransforms;
        this.db = db;
        this.schema = schema;
        this.tableNames = tableNames;
        this.transforms = transforms;
        this.chunkRows = Math.max(1, chunkRows);
    }

    DataSource dataSource() {
        return db;
    }

    /** The tables to copy, as the catalog said at the last check (or at first use). */
    Map<String, Table> tables() {
        Map<String, Table> known = tables;
        if (known == null) {
            known = readTables();
            tables = known;
        }
        return known;
    }

    private Map<String, Table> readTables() {
        Map<String, Table> read = new LinkedHashMap<>();
        for (String name : tableNames.isEmpty() ? Catalog.tablesOf(db, schema) : tableNames) {
            Table table = Catalog.read(db, schema, name, transforms.getOrDefault(name, Map.of()));
            if (table == null) {
                throw new JobFatalException("source table " + schema + "." + name + " does not exist");
            }
            read.put(name, table);
        }
        return read;
    }

    /**
     * Reads the catalog anew: every run checks its source first (a worker of {@code caravan work} at the first batch
     * of each run), and a resident process runs a job many times, while a table's key or types may change.
     */
    @Override
    public void check() {
        Catalog.requirePostgres(db, "source");
        tables = readTables();
    }

    @Override
    public void beforeRun(JobRun run) {
        dryRun = run.isDryRun();
    }

    @Override
    public CloseableIterator<Item> list() {
        RecordedCuts cuts = recorded.get(); // read anew for each run: a resident process lists many
        releasePagedCopies(); // a run that ended early (aborted, a dry run) may have left its snapshot
        PagedCopies copies = pagesInto == null || dryRun ? null
                : new PagedCopies(db, chunkRows, (table, snapshot) -> new ChunkLister(table, cuts, snapshot));
        paged = copies;
        List<Supplier<CloseableIterator<Item>>> parts = new ArrayList<>();
        for (Table table : tables().values()) {
            parts.add(() -> !table.hasPrimaryKey() ? wholeTable(table)
                    : isSampled(table, cuts) ? firstCopy(table, copies) : new ChunkLister(table, cuts, null));
        }
        return CloseableIterator.concat(parts);
    }

    /** A table's first copy: by ranges of pages where its key is scattered over them, else by a sample's cuts. */
    private CloseableIterator<Item> firstCopy(Table table, PagedCopies copies) {
        CloseableIterator<Item> pages = copies != null && pagesInto.test(table) ? copies.rangesOf(table) : null;
        return pages != null ? pages : sampledChunks(table);
    }

    /**
     * A table never recorded whose key is in no order of its pages is copied by ranges of pages when the target
     * loads such a table without its key ({@link PagedCopies}); the chunks listed in the same snapshot go to
     * {@code recordDone} once the run is complete.
     */
    void copyFirstCopiesByPages(Predicate<Table> into, Consumer<List<Chunk>> recordDone) {
        this.recordDone = recordDone;
        this.pagesInto = into;
    }

    /** The tables this run copies by pages. */
    List<PagedCopies.PagedTable> pagedTables() {
        PagedCopies copies = paged;
        return copies == null ? List.of() : copies.tables();
    }

    /** Starts listing a table this run copied by pages: every range of its pages is loaded. */
    void listPaged(PagedCopies.PagedTable table) {
        paged.startListing(table);
    }

    /**
     * Records the chunks of a table this run copied by pages, as listed in the snapshot its pages were read in: every
     * range of its pages is loaded. Waits for its listing; returns how many chunks it recorded.
     */
    int recordPaged(PagedCopies.PagedTable table) {
        try {
            List<Chunk> chunks = paged.chunks(table);
            recordDone.accept(chunks);
            return chunks.size();
        } catch (CompletionException e) {
            throw e.getCause() instanceof JobFatalException fatal ? fatal
                    : new JobFatalException("cannot list table " + table.table().qualified() + ": " + e.getCause(), e);
        }
    }

    @Override
    public void afterRun(JobRun run, boolean complete) {
        releasePagedCopies();
    }

    private void releasePagedCopies() {
        PagedCopies copies = paged;
        paged = null;
        if (copies != null) {
            copies.close();
        }
    }

    /**
     * A table the ledger holds no chunk of (a first copy) is not listed row by row when the target takes each chunk's
     * row versions with its rows: a sample of its keys cuts it, and its source is read once, by the copy (listing the
     * keys and versions of 5,000,000 rows cost the source server more than half of what copying them did). A table
     * with a Java row transform is listed: the transform reads the rows as the table's columns.
     */
    private boolean isSampled(Table table, RecordedCuts cuts) {
        return firstCopiesSampled && !rowTransforms.containsKey(table.name()) && cuts.of(table.name()).isEmpty();
    }

    /**
     * The table's chunks cut at every so many keys of a sample of its rows as the server sorts them: about
     * {@code chunkRows} rows each. {@code TABLESAMPLE BERNOULLI} reads every page but takes rows at random (0.4 s
     * for 5,000,000 rows here, against 2.3 s to list them); {@code SYSTEM} takes whole pages, which made chunks from a
     * third to twice their size. A table of small chunks is read whole, and cut exactly as a listing would.
     */
    private CloseableIterator<Item> sampledChunks(Table table) {
        double fraction = Math.min(1.0, (double) SAMPLED_KEYS_PER_CHUNK / chunkRows);
        long step = Math.max(1, Math.round(chunkRows * fraction));
        String sample = fraction >= 1.0 ? "" : String.format(Locale.ROOT, " TABLESAMPLE BERNOULLI (%.6f)",
                fraction * 100);
        String keys = table.keyList();
        List<Item> chunks = new ArrayList<>();
        try (Connection c = db.getConnection()) {
            PGCopyInputStream cuts = new PGCopyInputStream(c.unwrap(PGConnection.class), "COPY (SELECT " + keys
                    + " FROM (SELECT " + keys + ", row_number() OVER (ORDER BY " + keys + ") AS caravan_n FROM "
                    + table.qualified() + " t" + sample + ") t WHERE caravan_n > 1 AND (caravan_n - 1) % " + step
                    + " = 0 ORDER BY caravan_n) TO STDOUT");
            List<String> from = null;
            byte[] line;
            while ((line = cuts.readFromCopy()) != null) {
                List<String> key = CopyText.decodeRow(line, line.length - 1);
                chunks.add(unread(table, from, key));
                from = key;
            }
            chunks.add(unread(table, from, null));
        } catch (SQLException e) {
            throw new JobFatalException("cannot sample the keys of table " + table.qualified() + ": " + e.getMessage(),
                    e);
        }
        return CloseableIterator.of(chunks.iterator(), () -> { });
    }

    private Item unread(Table table, List<String> from, List<String> to) {
        Chunk chunk = new Chunk(table.name(), from, to, chunkRows, UNREAD);
        return Item.of(chunk.itemKey(), chunk.fingerprint(), 0, 0);
    }

    /** Whether a table never recorded may be cut from a sample: the target takes its chunks' row versions. */
    void sampleFirstCopies(boolean sampled) {
        this.firstCopiesSampled = sampled;
    }

    private CloseableIterator<Item> wholeTable(Table table) {
        TableChecksum sum = TableChecksum.of(db, table);
        Chunk chunk = new Chunk(table.name(), null, null, sum.rows(), sum.digest());
        return CloseableIterator.of(List.of(Item.of(chunk.itemKey(), chunk.fingerprint(), 0, 0)).iterator(), () -> { });
    }

    @Override
    public Content open(Item item) {
        return open(item, true);
    }

    /** @param binaryAllowed false for a row-by-row retry, which reads the rows as text */
    private Content open(Item item, boolean binaryAllowed) {
        if (PageRange.isPageKey(item.key())) {
            return openPages(item);
        }
        Chunk chunk = Chunk.of(item);
        Table table = tables().get(chunk.table());
        RowTransform transform = rowTransforms.get(table.name());
        boolean binary = binaryAllowed && transform == null && table.transforms().isEmpty()
                && binaryTables.test(table);
        boolean versioned = UNREAD.equals(chunk.digest());
        // in no order, unless the rows' versions come along: the target takes a chunk's rows as a set, and the
        // server may read them without the index; versions go into a digest in key order, as a listing reads them.
        // A version travels as an xid, 4 bytes in binary and digits in text: cast to text, it cost the source more
        // (a whole read of 5,000,000 rows took 3.2 s against 2.9 s here)
        String copy = "COPY (SELECT " + table.selectList() + (versioned ? ", t.xmin" : "") + " FROM "
                + table.qualified() + " t WHERE " + chunk.where(table)
                + (versioned ? " ORDER BY " + table.keyList() : "") + ") TO STDOUT" + (binary ? " (FORMAT binary)" : "");
        try {
            Connection c = db.getConnection();
            try {
                InputStream copied = new PGCopyInputStream(c.unwrap(PGConnection.class), copy);
                InputStream rows = transform == null ? copied : new TransformedRows(table, transform, copied);
                return content(c, rows, item, binary, versioned);
            } catch (SQLException | RuntimeException e) {
                closeQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            throw new RetryableException("cannot read " + chunk.describe(table) + ": " + e.getMessage(), e);
        }
    }

    /** The rows of a range of pages, read in the snapshot the listing exported ({@link PagedCopies}). */
    private Content openPages(Item item) {
        PageRange range = PageRange.of(item.key(), item.fingerprint());
        Table table = tables().get(range.table());
        boolean binary = table.transforms().isEmpty() && binaryTables.test(table);
        try {
            Connection c = db.getConnection();
            try {
                c.setAutoCommit(false);
                c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                try (Statement s = c.createStatement()) {
                    s.execute("SET TRANSACTION SNAPSHOT " + Table.literal(range.snapshot()));
                } catch (SQLException e) {
                    throw new ItemRejectedException("transfer", "cannot read " + range.describe() + " in the snapshot"
                            + " of the run that listed it (" + e.getMessage().lines().findFirst().orElse("") + "):"
                            + " the next run copies the table again from its start", e);
                }
                InputStream rows = new PGCopyInputStream(c.unwrap(PGConnection.class), "COPY (SELECT "
                        + table.selectList() + " FROM " + table.qualified() + " t WHERE " + range.where()
                        + ") TO STDOUT" + (binary ? " (FORMAT binary)" : ""));
                return content(c, rows, item, binary, false);
            } catch (SQLException | RuntimeException e) {
                closeQuietly(c);
                throw e;
            }
        } catch (SQLException e) {
            throw new RetryableException("cannot read " + range.describe() + ": " + e.getMessage(), e);
        }
    }

    /** A chunk's rows as read through the connection, which goes back to the pool when they are closed. */
    private static Content content(Connection c, InputStream rows, Item item, boolean binary, boolean versioned) {
        Map<String, String> metadata = new HashMap<>(Map.of("fingerprint", item.fingerprint()));
        if (binary) {
            metadata.put(FORMAT, BINARY);
        }
        if (versioned) {
            metadata.put(VERSIONS, "last-column");
        }
        return new Content(new FilterInputStream(rows) {
            @Override
            public void close() throws IOException {
                try {
                    super.close();
                } finally {
                    closeQuietly(c);
                }
            }
        }, new Item.Attributes(binary ? "application/octet-stream" : "text/tab-separated-values", metadata));
    }

    /**
     * Which tables' chunks may travel in COPY's binary format, cheaper to write and to read than text for both
     * servers (a fifth less CPU at the target here): the target says so when its table has the source's exact
     * column types. A table with transforms always travels as text.
     */
    void carryBinary(Predicate<Table> when) {
        this.binaryTables = when;
    }

    @Override
    public String describe() {
        return Catalog.describe(db, schema);
    }

    @Override
    public String identity() {
        return Identities.jdbc(db.getJdbcUrl(), schema);
    }

    @Override
    public String groupOf(Item item) {
        return item.key().substring(0, item.key().indexOf('/'));
    }

    @Override
    public void close() {
        releasePagedCopies();
        db.close();
    }

    /** The chunk's rows as COPY text (never binary), read anew (for a row-by-row retry at the target). */
    InputStream reopen(String itemKey, String fingerprint) {
        return open(Item.of(itemKey, fingerprint, 0, 0), false).body();
    }

    private static void closeQuietly(Connection c) {
        try {
            if (!c.getAutoCommit()) {
                c.rollback(); // it only read
            }
            c.close();
        } catch (SQLException ignored) {
            // the chunk was read or failed already; nothing to do with a connection that does not close
        }
    }

    /**
     * Rows of a table to list in key order, from {@code from} to before {@code to}: cut first after {@code firstCut}
     * rows, then every {@code cutEvery} rows.
     */
    private record Range(List<String> from, List<String> to, long firstCut, long cutEvery) {
        Range(List<String> from, List<String> to, long cutEvery) {
            this(from, to, cutEvery, cutEvery);
        }

        String where(Table table) {
            return new Chunk(table.name(), from, to, 0, "").where(table);
        }
    }

    /**
     * The ranges a table is listed in: those of its recorded chunks, cut only when one has grown to twice the chunk
     * size, so that unchanged rows keep their chunks, and neighbours merged while their recorded rows fit in three
     * quarters of a chunk (a larger {@code source.chunk-rows} than before), an emptied one always; the range that
     * reaches the table's end, and the rest of a table whose record stops short (or was never made), cut every
     * {@code chunkRows} rows. Chunks cut from a sample ({@link #sampledChunks}) are not all of one size: two of
     * them that fit in one chunk together are merged only when both are well short of it.
     */
    private List<Range> rangesOf(Table table, RecordedCuts cuts) {
        List<Chunk> recorded = cuts.of(table.name());
        if (!inKeyOrder(table, recorded)) {
            recorded = List.of(); // recorded under another key or key type: cut anew
        }
        List<Range> ranges = new ArrayList<>();
        List<String> from = null;
        long rows = 0;
        for (Chunk chunk : recorded) {
            if (chunk != recorded.get(0) && chunk.rows() > 0 && 4 * (rows + chunk.rows()) > 3L * chunkRows) {
                ranges.add(new Range(from, chunk.from(), 2L * chunkRows));
                from = chunk.from();
                rows = 0;
            }
            rows += chunk.rows();
        }
        List<String> to = recorded.isEmpty() ? null : recorded.get(recorded.size() - 1).to();
        if (to != null) { // the record stops short of the table's end
            ranges.add(new Range(from, to, 2L * chunkRows));
            from = to;
        }
        // the recorded chunk that reached the end keeps its rows while they are within twice the chunk size, as the
        // others do: one cut from a sample may hold more than chunkRows, and cut so it was copied again unchanged
        ranges.add(new Range(from, null, Math.min(2L * chunkRows, Math.max(chunkRows, to == null ? rows : 0)),
                chunkRows));
        return ranges;
    }

    /**
     * Whether the recorded chunks' bounds are keys of the table's primary key as it is now, each after the one before
     * it in the order the listing sorts by: ranges that overlapped would list rows twice. False when the key's
     * columns, their types or their collations changed since the chunks were recorded.
     */
    private boolean inKeyOrder(Table table, List<Chunk> recorded) {
        List<List<String>> bounds = recorded.stream().map(Chunk::to).filter(Objects::nonNull).toList();
        if (bounds.stream().anyMatch(key -> key.size() != table.primaryKey().size())) {
            return false;
        }
        if (bounds.isEmpty()) {
            return true;
        }
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            StringBuilder sql = new StringBuilder("SELECT bool_and(ascending) FROM (VALUES ");
            for (int i = 0; i < bounds.size(); i++) {
                String bound = Chunk.row(table, bounds.get(i));
                sql.append(i == 0 ? "(" + bound + " IS NOT NULL)"
                        : ", (" + Chunk.row(table, bounds.get(i - 1)) + " < " + bound + ")");
            }
            try (ResultSet rs = s.executeQuery(sql.append(") v(ascending)").toString())) {
                return rs.next() && rs.getBoolean(1);
            }
        } catch (SQLException e) {
            if (isValueError(e)) {
                return false; // a recorded bound that no longer casts to the key's type, or compares no more
            }
            throw new JobFatalException("cannot list table " + table.qualified() + ": " + e.getMessage(), e);
        }
    }

    /** A data exception, or a type that cannot be cast or compared so: the recorded key, not the database. */
    private static boolean isValueError(SQLException e) {
        String state = e.getSQLState();
        return state != null && (state.startsWith("22") || state.equals("42804") || state.equals("42846")
                || state.equals("42883"));
    }

    /** Below this correlation of a key's order with its table's pages (PostgreSQL's statistics): "scattered". */
    private static final double SCATTERED_BELOW = 0.8;

    /**
     * Whether the statistics say the table's one-column key is in no order of its pages, as a random UUID is: a range
     * of its keys then lies all over the table, and reading ranges one by one through the index visits each page many
     * times. False for a table never analysed and for a key of several columns.
     */
    static boolean isScattered(Connection c, Table table) throws SQLException {
        if (table.primaryKey().size() != 1) {
            return false;
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT correlation FROM pg_stats"
                + " WHERE schemaname = ? AND tablename = ? AND attname = ?")) {
            ps.setString(1, table.schema());
            ps.setString(2, table.name());
            ps.setString(3, table.primaryKey().get(0));
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return false;
                }
                double correlation = rs.getDouble(1);
                return !rs.wasNull() && Math.abs(correlation) < SCATTERED_BELOW;
            }
        }
    }

    /**
     * Streams a table's keys and row versions in key order, range by range, and cuts them into chunks. They come as
     * COPY text, a line a row: only a chunk's first key is decoded, and each version goes into the digest as it is
     * (JDBC decoded every row into objects: a third of the client's CPU for 5,000,000 rows). A range's first chunk is
     * listed even when its rows are all gone, so that its copy empties it at the target.
     * <p>
     * A range is read through the key's index, cheap where the key's order is the order of the table's pages (a
     * serial key). Where it is not (a random text key, as CKAN's UUIDs), each range's rows lie all over the table,
     * and reading 100 ranges of 5,000,000 rows so took 44 s here, against 7 s for one read of the whole table sorted:
     * such a table (its statistics say so) is read once, in a sequential scan sorted by key, with the ranges' first
     * keys sorted in among its rows (in the key's collation), each ending the range before it. The chunks are the
     * same.
     */
    private final class ChunkLister extends LookaheadIterator<Item> {
        private final Table table;
        private final List<Range> rangeList;
        private final Iterator<Range> ranges;
        private final boolean oneRead;
        private boolean nextRangeAhead; // one read: the next range's first key came, that range not yet begun
        private boolean tableRead;
        private Connection connection; // null once the table is listed
        private final MessageDigest digest = Md5.newDigest(); // as VersionedRows digests a chunk it copies
        private PGCopyInputStream rows;
        private Range range;
        private List<String> from;
        private byte[] pending; // the first row not yet in a chunk
        private boolean rangeListed;

        /** @param snapshot one exported by another transaction, to list the table as it saw it; or null */
        ChunkLister(Table table, RecordedCuts cuts, String snapshot) {
            this.table = table;
            this.rangeList = rangesOf(table, cuts);
            this.ranges = rangeList.iterator();
            try {
                this.connection = db.getConnection();
            } catch (SQLException e) {
                throw new JobFatalException("cannot list table " + table.qualified() + ": " + e.getMessage(), e);
            }
            try {
                // the ranges' queries see one snapshot of the table, as the one query of a table never copied does
                connection.setAutoCommit(false);
                connection.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
                if (snapshot != null) {
                    try (Statement s = connection.createStatement()) {
                        s.execute("SET TRANSACTION SNAPSHOT " + Table.literal(snapshot));
                    }
                }
                boolean scattered = isScattered(connection, table);
                if (scattered && snapshot == null) {
                    LOG.info("listing {} in one sorted read: its key's order is not its pages'", table.qualified());
                }
                if (scattered) {
                    try (Statement s = connection.createStatement()) {
                        // the planner reads a whole table in key order through the index: 25 s here, against 7 s
                        s.execute("SET LOCAL enable_indexscan = off");
                    }
                }
                this.oneRead = scattered && rangeList.size() > 1;
            } catch (SQLException e) {
                closeQuietly(connection);
                throw new JobFatalException("cannot list table " + table.qualified() + ": " + e.getMessage(), e);
            }
        }

        /**
         * The next chunk. A range's next COPY is under way before its last chunk goes out, and the connection is
         * given back with the last chunk of the table: never idle in a transaction while the workers hold the
         * listing back (a server's idle_in_transaction_session_timeout would end it, and its snapshot holds back
         * the source's vacuum).
         */
        @Override
        protected Item advance() {
            try {
                if (connection == null) {
                    return null;
                }
                if (rows == null) {
                    open(ranges.next());
                }
                Item chunk = nextChunk();
                if (rangeListed) {
                    if (oneRead && ranges.hasNext()) {
                        start(ranges.next());
                        return chunk;
                    }
                    rows.close();
                    rows = null;
                    if (ranges.hasNext()) {
                        open(ranges.next());
                    } else {
                        release();
                    }
                }
                return chunk;
            } catch (SQLException | IOException e) {
                throw new JobFatalException("cannot list table " + table.qualified() + ": " + e.getMessage(), e);
            }
        }

        private void release() {
            try {
                connection.rollback(); // it only read
            } catch (SQLException ignored) {
                // the pool drops a connection that is broken
            }
            closeQuietly(connection);
            connection = null;
        }

        private void start(Range next) {
            range = next;
            nextRangeAhead = false;
            from = next.from();
            pending = null;
            rangeListed = false;
        }

        private void open(Range next) throws SQLException {
            start(next);
            // xmin, the row's version (it changes with every update), tells a changed chunk at a tenth of the
            // cost of hashing each row (10.6 s against 1.2 s for 5,000,000 rows here); written as an xid, the same
            // digits as cast to text, at less cost to the source (2.5 s against 2.6 s to list 5,000,000 rows)
            String select = table.keyList() + ", t.xmin FROM " + table.qualified() + " t";
            if (oneRead) {
                // each range's first key sorted in among the rows, just before a row of that key: it ends the range
                // before it (width_bucket over text keys compares a row with every bound in turn: 10 s against 4.7 s
                // for 5,000,000 rows and 500 ranges here)
                String firstKeys = rangeList.stream().skip(1).map(r -> Chunk.row(table, r.from()))
                        .collect(Collectors.joining(", "));
                select = "caravan_bound, caravan_key, caravan_version FROM (SELECT 0 AS caravan_bound, "
                        + table.keyList() + " AS caravan_key, t.xmin AS caravan_version FROM " + table.qualified()
                        + " t UNION ALL SELECT 1, b, NULL FROM unnest(ARRAY[" + firstKeys + "]) b) t";
                rows = new PGCopyInputStream(connection.unwrap(PGConnection.class), "COPY (SELECT " + select
                        + " ORDER BY caravan_key, caravan_bound DESC) TO STDOUT");
                return;
            }
            select += " WHERE " + next.where(table);
            rows = new PGCopyInputStream(connection.unwrap(PGConnection.class), "COPY (SELECT " + select
                    + " ORDER BY " + table.keyList() + ") TO STDOUT");
        }

        /** The range's next row ("key…\txmin\n"), or null at its end. */
        private byte[] nextRowOfRange() throws SQLException {
            if (!oneRead) {
                return rows.readFromCopy();
            }
            if (nextRangeAhead || tableRead) {
                return null;
            }
            byte[] line = rows.readFromCopy();
            if (line == null) {
                tableRead = true;
                if (ranges.hasNext()) {
                    throw new JobFatalException("cannot list table " + table.qualified() + ": its listing ended"
                            + " before the first key of each of its ranges came");
                }
                return null;
            }
            if (line[0] == '1') { // "1\t<the next range's first key>\t\\N"
                if (!ranges.hasNext()) {
                    throw new JobFatalException("cannot list table " + table.qualified() + ": more ranges' first"
                            + " keys came than it has ranges");
                }
                nextRangeAhead = true;
                return null;
            }
            return Arrays.copyOfRange(line, 2, line.length); // "0\t<key>\t<xmin>"
        }

        /**
         * The range's next chunk: the rows up to the first of the chunk after it, or to the range's end (a cut keeps
         * that first row back, so the last chunk is never empty unless the whole range is).
         */
        private Item nextChunk() throws SQLException {
            long count = 0;
            if (pending != null) {
                addVersion(pending);
                count = 1;
                pending = null;
            }
            byte[] row;
            while ((row = nextRowOfRange()) != null) {
                if (count == (Objects.equals(from, range.from()) ? range.firstCut() : range.cutEvery())) {
                    List<String> key = keyOf(row);
                    Chunk chunk = new Chunk(table.name(), from, key, count, Md5.hex(digest.digest()));
                    from = key;
                    pending = row;
                    return Item.of(chunk.itemKey(), chunk.fingerprint(), 0, 0);
                }
                addVersion(row);
                count++;
            }
            rangeListed = true;
            // the range's last chunk (or an emptied range's only one) reaches to the range's end
            Chunk chunk = new Chunk(table.name(), from, range.to(), count, Md5.hex(digest.digest()));
            return Item.of(chunk.itemKey(), chunk.fingerprint(), 0, 0);
        }

        /** The row's last field, its version, without the line's end. */
        private void addVersion(byte[] row) {
            int end = row.length - 1;
            int tab = lastTab(row, end);
            digest.update(row, tab + 1, end - tab - 1);
        }

        private List<String> keyOf(byte[] row) {
            return CopyText.decodeRow(row, lastTab(row, row.length - 1));
        }

        private static int lastTab(byte[] row, int end) {
            int i = end - 1;
            while (row[i] != '\t') {
                i--;
            }
            return i;
        }

        @Override
        public void close() {
            try {
                if (rows != null) {
                    rows.close(); // cancels a listing not read to its end
                }
            } catch (IOException ignored) {
                // the connection goes back to the pool, which drops it if it is broken
            }
            if (connection != null) {
                release();
            }
        }
    }
}
