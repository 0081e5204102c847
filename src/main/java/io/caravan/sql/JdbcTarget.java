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

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Tables of a PostgreSQL source written into H2 or MariaDB ({@link Dialect}), a chunk at a time: in one transaction
 * the chunk's rows are deleted by key and inserted again in JDBC batches, so a chunk copied again after a crash
 * leaves each row once. (Unlike the PostgreSQL target, which empties the chunk's key range, a row deleted at the
 * source since an earlier copy stays: the key order of another database's collation need not be the source's.) Each value goes from PostgreSQL's COPY text to its Java type ({@link PgValues}). A row the
 * target refuses (a constraint, a value out of range) is reported with its key and the rest of the chunk commits.
 * Verified by count and an order-independent checksum computed in Caravan on both sides.
 */
public final class JdbcTarget implements OpaqueTarget, SelfVerifying {

    private static final int BATCH = 1000;

    private final HikariDataSource db;
    private final Dialect dialect;
    private final SqlSource source;
    private final String schema;
    private final boolean createTables;
    private final List<Path> beforeScripts;
    private final List<Path> afterScripts;

    public JdbcTarget(HikariDataSource db, String jdbcUrl, SqlSource source, String schema, boolean createTables,
                      List<Path> beforeScripts, List<Path> afterScripts) {
        this.db = db;
        this.dialect = Dialect.of(jdbcUrl);
        this.source = source;
        this.schema = schema;
        this.createTables = createTables;
        this.beforeScripts = beforeScripts;
        this.afterScripts = afterScripts;
    }

    /** Whether this target writes into the database of that JDBC URL (not PostgreSQL). */
    public static boolean handles(String jdbcUrl) {
        try {
            Dialect.of(jdbcUrl);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public void check() {
        try (Connection c = db.getConnection()) {
            c.getMetaData();
        } catch (SQLException e) {
            throw new JobFatalException("the target database cannot be reached: " + e.getMessage(), e);
        }
    }

    @Override
    public void beforeRun(JobRun run) {
        SqlScripts.run(db, run, "before", beforeScripts);
        for (Table table : source.tables().values()) {
            if (exists(table.name())) {
                continue;
            }
            if (!createTables) {
                throw new JobFatalException("target table " + table.name() + " does not exist"
                        + " (target.create-tables = false)");
            }
            TargetStatements.execute(db, createStatement(table));
            run.addStep("created table " + table.name());
        }
    }

    @Override
    public void afterRun(JobRun run, boolean complete) {
        if (complete) {
            SqlScripts.run(db, run, "after", afterScripts);
        } else if (!afterScripts.isEmpty()) {
            run.addStep("after-scripts not run: the copy is not complete (see the rejects); run the job again");
        }
    }

    private String createStatement(Table table) {
        StringBuilder b = new StringBuilder("CREATE TABLE ").append(dialect.qualified(schema, table.name()))
                .append(" (");
        for (int i = 0; i < table.columns().size(); i++) {
            Table.Column c = table.columns().get(i);
            String type = dialect.typeOf(c.type(), table.primaryKey().contains(c.name()));
            if (type == null) {
                throw new JobFatalException("table " + table.name() + ", column " + c.name() + ": PostgreSQL's "
                        + c.type() + " has no " + dialect + " type here; create the table in the target yourself"
                        + " and set target.create-tables = false");
            }
            b.append(i == 0 ? "" : ", ").append(dialect.quote(c.name())).append(' ').append(type)
                    .append(c.notNull() ? " NOT NULL" : "");
        }
        if (table.hasPrimaryKey()) {
            b.append(", PRIMARY KEY (").append(table.primaryKey().stream().map(dialect::quote)
                    .collect(Collectors.joining(", "))).append(')');
        }
        // keys compare byte for byte, as PostgreSQL's do, whatever the server's default collation
        return b.append(')').append(dialect == Dialect.MARIADB ? " DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin"
                : "").toString();
    }

    private boolean exists(String table) {
        try (Connection c = db.getConnection()) {
            DatabaseMetaData meta = c.getMetaData();
            try (ResultSet rs = meta.getTables(dialect == Dialect.MARIADB ? c.getCatalog() : null,
                    dialect == Dialect.MARIADB ? null : schema, table, null)) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new JobFatalException("cannot read the target's tables: " + e.getMessage(), e);
        }
    }

    @Override
    public Written write(String targetKey, long expectedSize, InputStream body, Item.Attributes attributes,
                         Runnable beforeCommit) {
        String fingerprint = attributes.metadata().get("fingerprint");
        Chunk chunk = Chunk.of(targetKey, fingerprint);
        Table table = source.tables().get(chunk.table());
        try {
            try (CountedRows rows = new CountedRows(body)) {
                if (load(table, rows, beforeCommit)) {
                    return new Written(rows.checksum(), rows.bytes());
                }
            }
            // the target refused a row: the chunk is read again from the source and loaded row by row
            try (CountedRows again = new CountedRows(source.reopen(targetKey, fingerprint))) {
                List<String> refused = loadRowByRow(table, again, beforeCommit);
                if (!refused.isEmpty()) {
                    throw new ItemRejectedException("transfer", refused.size() + " row(s) refused by the target,"
                            + " the rest committed: " + String.join("; ", refused));
                }
                return new Written(again.checksum(), again.bytes());
            }
        } catch (IOException e) {
            throw new RetryableException("cannot load " + chunk.describe(table) + ": " + e.getMessage(), e);
        }
    }

    /**
     * The fast path, streamed: the chunk's keys deleted and its rows inserted in batches of {@link #BATCH}, one
     * transaction; false when the target refused a row (or a value does not convert), so it goes row by row.
     */
    private boolean load(Table table, InputStream body, Runnable beforeCommit) throws IOException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement delete = c.prepareStatement(deleteByKey(table));
                 PreparedStatement insert = c.prepareStatement(insert(table))) {
                if (!table.hasPrimaryKey()) {
                    delete.executeUpdate(); // a table without a key travels whole: its copy replaces it
                }
                BufferedReader lines = reader(body);
                String line;
                int batched = 0;
                while ((line = lines.readLine()) != null) {
                    String[] row = fields(table, line);
                    if (table.hasPrimaryKey()) {
                        bindKey(delete, table, row);
                        delete.addBatch();
                    }
                    bindRow(insert, table, row);
                    insert.addBatch();
                    if (++batched == BATCH) {
                        flush(table, delete, insert);
                        batched = 0;
                    }
                }
                flush(table, delete, insert);
                beforeCommit.run();
                c.commit();
                return true;
            } catch (SQLException e) {
                c.rollback();
                if (TargetStatements.refusedRow(e)) {
                    return false;
                }
                throw e;
            } catch (RowRefused e) {
                c.rollback();
                return false;
            } catch (IOException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new RetryableException("cannot load " + table.name() + ": " + e.getMessage(), e);
        }
    }

    private static void flush(Table table, PreparedStatement delete, PreparedStatement insert) throws SQLException {
        if (table.hasPrimaryKey()) {
            delete.executeBatch();
        }
        insert.executeBatch();
    }

    /** Row by row, each in a savepoint: the refused ones are named by key with the reason, the rest commits. */
    private List<String> loadRowByRow(Table table, InputStream body, Runnable beforeCommit) throws IOException {
        List<String> refused = new ArrayList<>();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement delete = c.prepareStatement(deleteByKey(table));
                 PreparedStatement insert = c.prepareStatement(insert(table))) {
                if (!table.hasPrimaryKey()) {
                    delete.executeUpdate();
                }
                BufferedReader lines = reader(body);
                String line;
                while ((line = lines.readLine()) != null) {
                    String[] row = fields(table, line);
                    Savepoint before = c.setSavepoint();
                    try {
                        if (table.hasPrimaryKey()) {
                            bindKey(delete, table, row);
                            delete.executeUpdate();
                        }
                        bindRow(insert, table, row);
                        insert.executeUpdate();
                        c.releaseSavepoint(before);
                    } catch (SQLException | RowRefused e) {
                        c.rollback(before);
                        refused.add("row " + keyOf(table, row) + " of " + table.name() + ": "
                                + String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
                    }
                }
                beforeCommit.run();
                c.commit();
            } catch (SQLException | IOException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new RetryableException("cannot load " + table.name() + ": " + e.getMessage(), e);
        }
        return refused;
    }

    private static BufferedReader reader(InputStream body) {
        return new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8));
    }

    /** A COPY text line's fields, unescaped (null for NULL). */
    private static String[] fields(Table table, String line) {
        String[] fields = line.split("\t", -1);
        if (fields.length != table.columns().size()) {
            throw new ItemRejectedException("transfer", table.name() + ": a row of " + fields.length
                    + " fields, not " + table.columns().size());
        }
        for (int i = 0; i < fields.length; i++) {
            fields[i] = CopyText.decode(fields[i]);
        }
        return fields;
    }

    private String deleteByKey(Table table) {
        String from = "DELETE FROM " + dialect.qualified(schema, table.name());
        return !table.hasPrimaryKey() ? from : from + " WHERE " + table.primaryKey().stream()
                .map(k -> dialect.quote(k) + " = ?").collect(Collectors.joining(" AND "));
    }

    private String insert(Table table) {
        return "INSERT INTO " + dialect.qualified(schema, table.name()) + " (" + table.columns().stream()
                .map(c -> dialect.quote(c.name())).collect(Collectors.joining(", ")) + ") VALUES ("
                + table.columns().stream().map(c -> "?").collect(Collectors.joining(", ")) + ")";
    }

    private void bindKey(PreparedStatement ps, Table table, String[] row) throws SQLException {
        for (int i = 0; i < table.primaryKey().size(); i++) {
            int column = table.indexOf(table.primaryKey().get(i));
            ps.setObject(i + 1, value(table, column, row));
        }
    }

    private void bindRow(PreparedStatement ps, Table table, String[] row) throws SQLException {
        for (int i = 0; i < row.length; i++) {
            ps.setObject(i + 1, value(table, i, row));
        }
    }

    /** A value this database can take; one it cannot ('infinity', NaN, a BC date) refuses its row, named. */
    private Object value(Table table, int column, String[] row) {
        Table.Column c = table.columns().get(column);
        try {
            return PgValues.parse(c.type(), row[column], dialect);
        } catch (RuntimeException e) {
            throw new RowRefused("column " + c.name() + ": " + c.type() + " value '" + row[column]
                    + "' has no " + dialect + " equivalent");
        }
    }

    /** A row that cannot go to this database as it is. */
    private static final class RowRefused extends RuntimeException {
        RowRefused(String message) {
            super(message, null, false, false);
        }
    }

    private static String keyOf(Table table, String[] row) {
        return table.primaryKey().stream().map(k -> row[table.indexOf(k)]).collect(Collectors.joining(", ", "(", ")"));
    }

    @Override
    public VerifyResult verify(Consumer<Difference> onDifference) {
        return TableChecksum.verify(source.tables().values(),
                table -> RowChecksum.of(source.dataSource(), table, table.qualified(), null),
                table -> exists(table.name())
                        ? RowChecksum.of(db, table, dialect.qualified(schema, table.name()), dialect) : null,
                onDifference);
    }

    @Override
    public String describe() {
        return dialect + " " + schema;
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
