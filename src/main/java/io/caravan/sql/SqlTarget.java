package io.caravan.sql;

import com.zaxxer.hikari.HikariDataSource;
import io.caravan.item.Identities;
import io.caravan.item.Item;
import io.caravan.item.ItemRejectedException;
import io.caravan.item.JobFatalException;
import io.caravan.item.RetryableException;
import io.caravan.job.JobRun;
import io.caravan.target.OpaqueTarget;
import io.caravan.verify.Difference;
import io.caravan.verify.SelfVerifying;
import io.caravan.verify.VerifyResult;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Tables of a PostgreSQL database, written a chunk at a time, each in one transaction: into a table that has its
 * key, only the chunk's rows that differ are written ({@link ChangedRows}); into one whose key is to come, the chunk's
 * key range is emptied and its rows are loaded with {@code COPY … FROM STDIN}. Either way a chunk copied again after
 * a crash leaves each row once. A table created here gets its primary key after the last chunk ({@link KeyAfterLoad});
 * a first copy by ranges of pages ({@link PagedCopies}) is loaded once per range ({@link PageLoads}). A chunk with rows
 * the target refuses (a constraint) is read again and loaded row by row instead: the refused rows are reported with
 * their keys, the rest commits, and the chunk stays not done so the next run tries it again.
 * Scripts run before and after the copy, each in a transaction; the after-scripts only when every chunk is done.
 */
public final class SqlTarget implements OpaqueTarget, SelfVerifying {

    private static final Logger LOG = LoggerFactory.getLogger(SqlTarget.class);

    private final HikariDataSource db;
    private final SqlSource source;
    private final String schema;
    private final boolean createTables;
    private final List<Path> beforeScripts;
    private final List<Path> afterScripts;
    private final KeyAfterLoad keyAfterLoad;
    private final PageLoads pageLoads;
    private final Map<String, Boolean> takesBinary = new ConcurrentHashMap<>();
    private volatile boolean checkCollationVersions = true;

    public SqlTarget(HikariDataSource db, SqlSource source, String schema, boolean createTables,
                     List<Path> beforeScripts, List<Path> afterScripts) {
        this.db = db;
        this.source = source;
        this.schema = schema;
        this.createTables = createTables;
        this.beforeScripts = beforeScripts;
        this.afterScripts = afterScripts;
        this.keyAfterLoad = new KeyAfterLoad(schema);
        this.pageLoads = new PageLoads(schema, keyAfterLoad);
    }

    /** Whether {@link #check} refuses a key collation whose library versions differ (true unless told otherwise). */
    void checkCollationVersions(boolean check) {
        this.checkCollationVersions = check;
    }

    /**
     * Whether the table may be loaded by ranges of pages ({@link PagedCopies}): it is still to be created here, or its
     * key is still to come, so that loading it again from its start may empty it.
     */
    boolean takesPages(Table table) {
        Table target = asTarget(table);
        if (Catalog.read(db, schema, table.name(), Map.of()) == null) {
            return createTables;
        }
        try (Connection c = db.getConnection()) {
            return keyAfterLoad.isPending(c, target);
        } catch (SQLException e) {
            throw new JobFatalException("cannot read the target's table " + target.qualified() + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Whether the table here has the source's column names and types, each with a binary form at both ends, so its
     * chunks may come in COPY's binary format (read once a run: tables made or changed before it are seen).
     */
    boolean takesBinary(Table table) {
        return takesBinary.computeIfAbsent(table.name(), name -> {
            Table here = Catalog.read(db, schema, name, Map.of());
            return here != null && signature(here).equals(signature(table))
                    && Catalog.hasBinaryIo(db, schema, name)
                    && Catalog.hasBinaryIo(source.dataSource(), table.schema(), name);
        });
    }

    private static List<String> signature(Table table) {
        return table.columns().stream().map(c -> c.name() + " " + c.type()).toList();
    }

    @Override
    public void check() {
        Catalog.requirePostgres(db, "target");
        String here = Catalog.collation(db);
        String there = Catalog.collation(source.dataSource());
        if (!here.equals(there)) {
            // chunks are key ranges in the source's order; the target must order keys the same way
            throw new JobFatalException("the source database sorts text as " + there + " and the target as " + here
                    + ": create the target database with the same collation");
        }
        if (checkCollationVersions) {
            checkCollationVersions();
        }
    }

    /**
     * The same collation from another version of its library (glibc, ICU) may order some text keys otherwise: a
     * chunk's key range would then hold other rows at the target, and emptying it there would take rows of other
     * chunks, which a rerun does not copy again.
     */
    private void checkCollationVersions() {
        Map<String, List<String>> tablesBy = new TreeMap<>();
        for (Table table : source.tables().values()) {
            for (String collation : Catalog.keyCollations(source.dataSource(), table.schema(), table.name())) {
                tablesBy.computeIfAbsent(collation, c -> new ArrayList<>()).add(table.name());
            }
        }
        tablesBy.forEach((collation, tables) -> {
            String there = Catalog.collationVersion(source.dataSource(), collation);
            String here = Catalog.collationVersion(db, collation);
            if (there != null && here != null && !there.equals(here)) {
                throw new JobFatalException("the primary keys of " + String.join(", ", tables) + " sort by collation "
                        + collation + ", version " + there + " at the source and " + here + " at the target: the"
                        + " two may order some keys otherwise, and a rerun could then lose rows. Keys of digits,"
                        + " ASCII letters and '-' (UUIDs, md5) sort alike in both: then set"
                        + " target.check-collation-versions = false");
            }
        });
    }

    @Override
    public void beforeRun(JobRun run) {
        takesBinary.clear();
        SqlScripts.run(db, run, "before", beforeScripts);
        for (Table table : source.tables().values()) {
            Table existing = Catalog.read(db, schema, table.name(), Map.of());
            if (existing == null && !createTables) {
                throw new JobFatalException("target table " + schema + "." + table.name() + " does not exist"
                        + " (target.create-tables = false)");
            }
            if (existing == null && table.hasPrimaryKey()) {
                keyAfterLoad.createKeyless(db, asTarget(table));
                run.addStep("created table " + schema + "." + table.name() + ", its primary key to be added after"
                        + " the load");
            } else if (existing == null) {
                TargetStatements.execute(db, asTarget(table).createStatement(true)); // a table without a key
                run.addStep("created table " + schema + "." + table.name());
            }
        }
    }

    @Override
    public void afterRun(JobRun run, boolean complete) {
        // a table copied by pages whose every range is loaded has its chunks listed while the keys are added, then
        // recorded, whatever else the run left undone: if a kill comes before, the next run copies it again
        List<PagedCopies.PagedTable> loaded = source.pagedTables().stream()
                .filter(paged -> pageLoads.allLoaded(db, asTarget(paged.table()), paged)).toList();
        loaded.forEach(source::listPaged);
        if (complete) {
            keyAfterLoad.addPendingKeys(db, source.tables().values().stream().map(this::asTarget).toList(), run);
            loaded.forEach(paged -> recordPaged(paged, run));
            SqlScripts.run(db, run, "after", afterScripts);
            return;
        }
        for (PagedCopies.PagedTable paged : loaded) {
            // its key still to come, a chunk copied into it before then empties its range first
            keyAfterLoad.recordLoadedWhole(db, asTarget(paged.table()));
            recordPaged(paged, run);
        }
        List<String> pending = keyAfterLoad.pendingTables(db);
        if (!pending.isEmpty()) {
            run.addStep("primary key not added yet to " + String.join(", ", pending) + ": the copy is not complete"
                    + " (see the rejects); run the job again");
        }
        if (!afterScripts.isEmpty()) {
            run.addStep("after-scripts not run: the copy is not complete (see the rejects); run the job again");
        }
    }

    private void recordPaged(PagedCopies.PagedTable paged, JobRun run) {
        int chunks = source.recordPaged(paged);
        run.addStep("copied " + paged.table().qualified() + " by " + paged.ranges() + " ranges of pages in one"
                + " snapshot; recorded its " + chunks + " chunks, listed in that snapshot");
    }

    @Override
    public Written write(String targetKey, long expectedSize, InputStream body, Item.Attributes attributes,
                         Runnable beforeCommit) {
        String fingerprint = attributes.metadata().get("fingerprint");
        if (PageRange.isPageKey(targetKey)) {
            return writePages(PageRange.of(targetKey, fingerprint), body, attributes, beforeCommit);
        }
        Chunk chunk = Chunk.of(targetKey, fingerprint);
        Table table = asTarget(source.tables().get(chunk.table()));
        boolean versioned = attributes.metadata().containsKey(SqlSource.VERSIONS);
        boolean binary = SqlSource.BINARY.equals(attributes.metadata().get(SqlSource.FORMAT));
        try {
            VersionedRows versions = versioned ? VersionedRows.of(body, binary) : null;
            try (CountedRows rows = new CountedRows(versioned ? versions : body)) {
                if (load(table, chunk, rows, binary, beforeCommit)) {
                    return written(chunk, rows, versions);
                }
            }
            // the target refused a row: the chunk is read again from the source and loaded row by row
            InputStream reread = source.reopen(targetKey, fingerprint);
            VersionedRows reversions = versioned ? VersionedRows.of(reread, false) : null;
            try (CountedRows again = new CountedRows(versioned ? reversions : reread)) {
                loadRowByRow(table, chunk, again, beforeCommit);
                return written(chunk, again, reversions);
            }
        } catch (IOException e) {
            throw new RetryableException("cannot load " + chunk.describe(table) + ": " + e.getMessage(), e);
        }
    }

    /**
     * A chunk cut from a sample is recorded with the row count and the digest of the versions it loaded: the
     * fingerprint the next run's listing of the same range gives while the rows are unchanged.
     */
    private static Written written(Chunk chunk, CountedRows rows, VersionedRows versions) {
        Written written = new Written(rows.checksum(), rows.bytes());
        return versions == null ? written : written.withFingerprint(
                new Chunk(chunk.table(), chunk.from(), chunk.to(), versions.rows(), versions.digest()).fingerprint());
    }

    /**
     * A range of pages of a first copy by pages, loaded once in its generation; a row the target refuses fails the
     * range, naming the row, and the next run copies the table again from its start.
     */
    private Written writePages(PageRange range, InputStream body, Item.Attributes attributes, Runnable beforeCommit) {
        Table table = asTarget(source.tables().get(range.table()));
        boolean binary = SqlSource.BINARY.equals(attributes.metadata().get(SqlSource.FORMAT));
        pageLoads.takeOver(db, table, range.generation());
        try (Connection c = db.getConnection(); CountedRows rows = new CountedRows(body)) {
            c.setAutoCommit(false);
            try {
                if (pageLoads.claim(c, table, range)) {
                    copyManager(c).copyIn(copyIn(table) + (binary ? " (FORMAT binary)" : ""), rows);
                } else {
                    rows.transferTo(OutputStream.nullOutputStream()); // loaded before its record was: not again
                }
                beforeCommit.run();
                c.commit();
                return new Written(rows.checksum(), rows.bytes());
            } catch (SQLException e) {
                c.rollback();
                if (TargetStatements.refusedRow(e)) {
                    throw new ItemRejectedException("transfer", "a row of " + range.describe() + " refused by the"
                            + " target: " + e.getMessage().lines().findFirst().orElse(""), e);
                }
                throw new RetryableException("cannot load " + range.describe() + ": " + e.getMessage(), e);
            } catch (IOException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException | IOException e) {
            throw new RetryableException("cannot load " + range.describe() + ": " + e.getMessage(), e);
        }
    }

    /** The fast path; false when the target refused a row, so the chunk must go row by row. */
    private boolean load(Table table, Chunk chunk, InputStream rows, boolean binary, Runnable beforeCommit) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                boolean pending = keyAfterLoad.isPending(c, table);
                if (table.hasPrimaryKey() && !pending) {
                    ChangedRows.write(c, copyManager(c), table, chunk, rows, binary);
                } else {
                    emptyRange(c, table, chunk, pending);
                    copyManager(c).copyIn(copyIn(table) + (binary ? " (FORMAT binary)" : ""), rows);
                }
                beforeCommit.run();
                c.commit();
                return true;
            } catch (SQLException e) {
                c.rollback();
                if (TargetStatements.refusedRow(e)) {
                    return false;
                }
                throw new RetryableException("cannot load " + chunk.describe(table) + ": " + e.getMessage(), e);
            } catch (IOException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new RetryableException("cannot load " + chunk.describe(table) + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void loadRowByRow(Table table, Chunk chunk, InputStream rows, Runnable beforeCommit) throws IOException {
        List<String> refused = new ArrayList<>();
        try (Connection c = db.getConnection(); BufferedReader lines = new BufferedReader(
                new InputStreamReader(rows, StandardCharsets.UTF_8))) {
            c.setAutoCommit(false);
            CopyManager copy = copyManager(c);
            try {
                emptyRange(c, table, chunk, keyAfterLoad.isPending(c, table));
                String line;
                while ((line = lines.readLine()) != null) {
                    Savepoint row = c.setSavepoint();
                    try {
                        copy.copyIn(copyIn(table), new ByteArrayInputStream((line + "\n")
                                .getBytes(StandardCharsets.UTF_8)));
                        c.releaseSavepoint(row);
                    } catch (SQLException e) {
                        c.rollback(row);
                        refused.add("row " + keyOf(table, line) + " of " + table.name() + ": "
                                + e.getMessage().lines().findFirst().orElse(""));
                    }
                }
                beforeCommit.run();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new RetryableException("cannot load " + chunk.describe(table) + ": " + e.getMessage(), e);
        }
        if (!refused.isEmpty()) {
            throw new ItemRejectedException("transfer", refused.size() + " row(s) refused by the target, the other "
                    + "rows of the chunk committed: " + String.join("; ", refused));
        }
    }

    /**
     * Empties the chunk's key range, so a chunk loaded again leaves each row once; into a table whose key is still
     * to come, only when a chunk loaded before may have left rows in that range ({@link KeyAfterLoad}).
     */
    private void emptyRange(Connection c, Table table, Chunk chunk, boolean keyPending) throws SQLException {
        if (keyPending) {
            if (pageLoads.emptyUnfinished(c, table)) {
                LOG.info("emptied {} at the target before its first chunk: an earlier run's copy of it by pages was"
                        + " left unfinished", table.qualified());
            }
            if (!keyAfterLoad.recordLoaded(c, table, chunk)) {
                return;
            }
        }
        try (Statement s = c.createStatement()) {
            s.executeUpdate("DELETE FROM " + table.qualified() + " t WHERE " + chunk.where(table));
        }
    }

    /** The key columns of a COPY text line, as "(id)=(value)". */
    private static String keyOf(Table table, String line) {
        String[] fields = line.split("\t", -1);
        List<String> names = new ArrayList<>();
        List<String> values = new ArrayList<>();
        List<String> key = table.hasPrimaryKey() ? table.primaryKey()
                : table.columns().stream().map(Table.Column::name).toList();
        for (String column : key) {
            int i = table.indexOf(column);
            names.add(column);
            values.add(i < fields.length ? String.valueOf(CopyText.decode(fields[i])) : "?");
        }
        return "(" + String.join(", ", names) + ")=(" + String.join(", ", values) + ")";
    }

    private Table asTarget(Table table) {
        return new Table(schema, table.name(), table.columns(), table.primaryKey(), Map.of());
    }

    private static String copyIn(Table table) {
        return "COPY " + table.qualified() + " (" + table.columnList() + ") FROM STDIN";
    }

    private static CopyManager copyManager(Connection c) throws SQLException {
        return c.unwrap(PGConnection.class).getCopyAPI();
    }

    @Override
    public VerifyResult verify(Consumer<Difference> onDifference) {
        return TableChecksum.verify(source.tables().values(), table -> TableChecksum.of(source.dataSource(), table),
                table -> {
                    Table here = Catalog.read(db, schema, table.name(), Map.of());
                    return here == null ? null : TableChecksum.of(db, here);
                }, onDifference);
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
    public void close() {
        db.close();
    }
}
