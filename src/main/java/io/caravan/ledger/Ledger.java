package io.caravan.ledger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The job's memory: answers "is this item already at the target, unchanged?" without asking the target,
 * and records each outcome only after the target write was verified.
 */
public class Ledger {

    /** The longest item or target key a ledger row holds (the columns are VARCHAR(2000)). */
    public static final int MAX_KEY_LENGTH = 2000;
    /** Items a kill can leave done at the target but not recorded (done again by the next run), at the most. */
    public static final int UNRECORDED_AT_MOST = GroupCommit.UNRECORDED;

    private static final String COLUMNS =
            "job, item_key, fingerprint, status, target_key, checksum, bytes, attempts, last_error, updated_at";

    private static final String UPSERT_POSTGRES = "INSERT INTO caravan_item (" + COLUMNS + ")"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?)"
            + " ON CONFLICT (job, item_key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint,"
            + " status = EXCLUDED.status, target_key = EXCLUDED.target_key, checksum = EXCLUDED.checksum,"
            + " bytes = EXCLUDED.bytes, attempts = caravan_item.attempts + 1, last_error = EXCLUDED.last_error,"
            + " updated_at = EXCLUDED.updated_at";

    private static final String UPSERT_STANDARD = "MERGE INTO caravan_item t USING (VALUES"
            + " (CAST(? AS VARCHAR(200)), CAST(? AS VARCHAR(2000)), CAST(? AS VARCHAR(500)), CAST(? AS VARCHAR(16)),"
            + " CAST(? AS VARCHAR(2000)), CAST(? AS VARCHAR(200)), CAST(? AS BIGINT), CAST(? AS VARCHAR(2000)),"
            + " CAST(? AS TIMESTAMP)))"
            + " AS s (job, item_key, fingerprint, status, target_key, checksum, bytes, last_error, updated_at)"
            + " ON t.job = s.job AND t.item_key = s.item_key"
            + " WHEN MATCHED THEN UPDATE SET fingerprint = s.fingerprint, status = s.status, target_key = s.target_key,"
            + " checksum = s.checksum, bytes = s.bytes, attempts = t.attempts + 1, last_error = s.last_error,"
            + " updated_at = s.updated_at"
            + " WHEN NOT MATCHED THEN INSERT (" + COLUMNS + ") VALUES (s.job, s.item_key, s.fingerprint, s.status,"
            + " s.target_key, s.checksum, s.bytes, 1, s.last_error, s.updated_at)";

    /** How many keys {@link #findAll} takes at once. */
    public static final int LOOKUP_BATCH = 256;

    // The keys as an array joined to the table: one index lookup per key in H2 and PostgreSQL alike. H2 cannot use
    // the primary key for "job = ? AND item_key IN (…)" (an IN only uses an index's first column), and a row-value
    // IN, though it does, evaluated the whole list per row: three times slower, and most of a rerun's CPU.
    private static final String FIND_ALL = "SELECT " + COLUMNS.replaceAll("(\\w+)", "c.$1")
            + " FROM UNNEST(?) AS t(k) JOIN caravan_item c ON c.job = ? AND c.item_key = t.k";

    private final DataSource dataSource;
    private final GroupCommit itemWrites;

    public Ledger(LedgerDatabase database) {
        this.dataSource = database.dataSource();
        this.itemWrites = new GroupCommit(dataSource, database.isPostgres() ? UPSERT_POSTGRES : UPSERT_STANDARD);
    }

    /**
     * Returns once every row recorded so far is committed (rows are committed in batches, behind the workers).
     * Reads that must see this run's rows call it; the plan's lookups do not need to, as a run lists a key once.
     */
    public void flush() {
        itemWrites.flush();
    }

    public Optional<LedgerEntry> find(String job, String key) {
        flush();
        return queryOne("SELECT " + COLUMNS + " FROM caravan_item WHERE job = ? AND item_key = ?", job, key);
    }

    /** The rows of these keys (at most {@code LOOKUP_BATCH}), in one query. */
    public Map<String, LedgerEntry> findAll(String job, List<String> keys) {
        if (keys.size() > LOOKUP_BATCH) {
            throw new IllegalArgumentException("at most " + LOOKUP_BATCH + " keys per lookup, not " + keys.size());
        }
        Map<String, LedgerEntry> found = new HashMap<>();
        if (keys.isEmpty()) {
            return found;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(FIND_ALL)) {
            ps.setArray(1, c.createArrayOf("VARCHAR", keys.toArray()));
            ps.setString(2, job);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LedgerEntry entry = entry(rs);
                    found.put(entry.key(), entry);
                }
            }
            return found;
        } catch (SQLException e) {
            throw new LedgerException("cannot read the ledger", e);
        }
    }

    public Optional<LedgerEntry> findByTargetKey(String job, String targetKey) {
        flush();
        return queryOne("SELECT " + COLUMNS + " FROM caravan_item WHERE job = ? AND target_key = ?", job, targetKey);
    }

    public void recordDone(String job, String key, String fingerprint, String targetKey, String checksum, long bytes) {
        write(job, key, fingerprint, LedgerStatus.DONE, targetKey, checksum, bytes, null);
    }

    public void recordFailure(String job, String key, String fingerprint, LedgerStatus status, String targetKey,
                              String error) {
        write(job, key, fingerprint, status, targetKey, null, 0, error);
    }

    public Map<LedgerStatus, Long> countByStatus(String job) {
        flush();
        Map<LedgerStatus, Long> counts = new EnumMap<>(LedgerStatus.class);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "SELECT status, COUNT(*) FROM caravan_item WHERE job = ? GROUP BY status")) {
            ps.setString(1, job);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    counts.put(LedgerStatus.ofColumn(rs.getString(1)), rs.getLong(2));
                }
            }
            return counts;
        } catch (SQLException e) {
            throw new LedgerException("cannot count ledger rows of job " + job, e);
        }
    }

    /** Streams a job's rows in key order without holding them in memory. */
    public void forEach(String job, Consumer<LedgerEntry> consumer) {
        flush();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + COLUMNS + " FROM caravan_item WHERE job = ? ORDER BY item_key")) {
                ps.setFetchSize(1000);
                ps.setString(1, job);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        consumer.accept(entry(rs));
                    }
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new LedgerException("cannot read the ledger of job " + job, e);
        }
    }

    /** True when the ledger database answers; the readiness check of the long-lived process uses it. */
    public boolean isReachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    public void recordRunStart(String runId, String job, boolean dryRun, Instant startedAt) {
        update("INSERT INTO caravan_run (run_id, job, dry_run, started_at) VALUES (?, ?, ?, ?)",
                runId, job, dryRun, Timestamp.from(startedAt));
    }

    public void recordRunEnd(String runId, Instant finishedAt, int exitCode, String reportJson) {
        update("UPDATE caravan_run SET finished_at = ?, exit_code = ?, report = ? WHERE run_id = ?",
                Timestamp.from(finishedAt), exitCode, reportJson, runId);
    }

    /** The JSON report of the job's most recent finished run, if any. */
    public Optional<String> lastReport(String job) {
        return latestRun(job, "report", "finished_at IS NOT NULL", "finished_at", rs -> rs.getString(1));
    }

    /** When the job's latest run that wrote and left nothing behind (exit code 0) started, if any. */
    public Optional<Instant> lastCompleteRunStart(String job) {
        return latestRun(job, "started_at", "exit_code = 0 AND dry_run = FALSE", "started_at",
                rs -> rs.getTimestamp(1).toInstant());
    }

    /** A column of the job's latest run (by {@code order}) that matches {@code condition}. */
    private <T> Optional<T> latestRun(String job, String column, String condition, String order, Column<T> read) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + column + " FROM caravan_run WHERE job = ? AND "
                     + condition + " ORDER BY " + order + " DESC")) {
            ps.setMaxRows(1);
            ps.setString(1, job);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.ofNullable(read.of(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new LedgerException("cannot read the runs of job " + job, e);
        }
    }

    private interface Column<T> {
        T of(ResultSet rs) throws SQLException;
    }

    private void write(String job, String key, String fingerprint, LedgerStatus status, String targetKey,
                       String checksum, long bytes, String error) {
        itemWrites.write(job, key, fingerprint, status.column(), targetKey, checksum, bytes,
                truncate(error, 2000), Timestamp.from(Instant.now()));
    }

    private void update(String sql, Object... params) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            ps.executeUpdate();
        } catch (SQLException e) {
            throw new LedgerException("cannot write to the ledger", e);
        }
    }

    private Optional<LedgerEntry> queryOne(String sql, String job, String key) {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, job);
            ps.setString(2, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(entry(rs)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new LedgerException("cannot read the ledger", e);
        }
    }

    private static LedgerEntry entry(ResultSet rs) throws SQLException {
        return new LedgerEntry(rs.getString(1), rs.getString(2), rs.getString(3), LedgerStatus.ofColumn(rs.getString(4)),
                rs.getString(5), rs.getString(6), rs.getLong(7), rs.getInt(8), rs.getString(9),
                rs.getTimestamp(10).toInstant());
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
