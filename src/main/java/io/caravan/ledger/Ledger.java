package io.caravan.ledger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

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
    private static final String IN_SCOPE = "job = ? AND scope_id = ?";

    private static final String UPSERT_POSTGRES = "INSERT INTO caravan_item (scope_id, " + COLUMNS + ", run_id, worker)"
            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, ?, ?)"
            + " ON CONFLICT (job, scope_id, item_key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint,"
            + " status = EXCLUDED.status, target_key = EXCLUDED.target_key, checksum = EXCLUDED.checksum,"
            + " bytes = EXCLUDED.bytes, attempts = caravan_item.attempts + 1, last_error = EXCLUDED.last_error,"
            + " updated_at = EXCLUDED.updated_at, run_id = EXCLUDED.run_id, worker = EXCLUDED.worker";

    private static final String UPSERT_STANDARD = "MERGE INTO caravan_item t USING (VALUES"
            + " (CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(200)), CAST(? AS VARCHAR(2000)), CAST(? AS VARCHAR(500)),"
            + " CAST(? AS VARCHAR(16)), CAST(? AS VARCHAR(2000)), CAST(? AS VARCHAR(200)), CAST(? AS BIGINT),"
            + " CAST(? AS VARCHAR(2000)), CAST(? AS TIMESTAMP), CAST(? AS VARCHAR(64)), CAST(? AS VARCHAR(200))))"
            + " AS s (scope_id, job, item_key, fingerprint, status, target_key, checksum, bytes, last_error,"
            + " updated_at, run_id, worker)"
            + " ON t.job = s.job AND t.scope_id = s.scope_id AND t.item_key = s.item_key"
            + " WHEN MATCHED THEN UPDATE SET fingerprint = s.fingerprint, status = s.status, target_key = s.target_key,"
            + " checksum = s.checksum, bytes = s.bytes, attempts = t.attempts + 1, last_error = s.last_error,"
            + " updated_at = s.updated_at, run_id = s.run_id, worker = s.worker"
            + " WHEN NOT MATCHED THEN INSERT (scope_id, " + COLUMNS + ", run_id, worker) VALUES (s.scope_id, s.job,"
            + " s.item_key, s.fingerprint, s.status, s.target_key, s.checksum, s.bytes, 1, s.last_error, s.updated_at,"
            + " s.run_id, s.worker)";

    /** How many keys {@link #findAll} takes at once. */
    public static final int LOOKUP_BATCH = 256;

    private final DataSource dataSource;
    private final LedgerOutage outage;
    private final GroupCommit itemWrites;
    private final LedgerScopes scopes;
    private final BatchLookup lookup;
    private final LedgerDatabase database;

    public Ledger(LedgerDatabase database) {
        this.dataSource = database.dataSource();
        this.database = database;
        this.outage = database.outage();
        this.itemWrites = new GroupCommit(dataSource, database.isPostgres() ? UPSERT_POSTGRES : UPSERT_STANDARD,
                outage);
        this.scopes = new LedgerScopes(dataSource);
        this.lookup = BatchLookup.of(dataSource, COLUMNS);
    }

    /**
     * Registers the scope a job opens in; the first time a job opens after the upgrade to scoped ledgers, its rows
     * from before take this scope.
     *
     * @return how many rows from before scopes it took over
     */
    public int open(LedgerScope scope) {
        return scopes.open(scope);
    }

    public LedgerScopes scopes() {
        return scopes;
    }

    /**
     * Returns once every row recorded so far is committed (rows are committed in batches, behind the workers).
     * Reads that must see this run's rows call it; the plan's lookups do not need to, as a run lists a key once.
     */
    public void flush() {
        itemWrites.flush();
    }

    public Optional<LedgerEntry> find(LedgerScope scope, String key) {
        flush();
        return queryOne("SELECT " + COLUMNS + " FROM caravan_item WHERE " + IN_SCOPE + " AND item_key = ?", scope, key);
    }

    /**
     * The rows of these keys (at most {@code LOOKUP_BATCH}), in one query: fastest when they are neighbours listed
     * in key order ({@link BatchLookup}).
     */
    public Map<String, LedgerEntry> findAll(LedgerScope scope, List<String> keys) {
        if (keys.size() > LOOKUP_BATCH) {
            throw new IllegalArgumentException("at most " + LOOKUP_BATCH + " keys per lookup, not " + keys.size());
        }
        if (keys.isEmpty()) {
            return new HashMap<>();
        }
        try {
            return outage.call(() -> findAllOnce(scope, keys));
        } catch (SQLException e) {
            throw new LedgerException("cannot read the ledger", e);
        }
    }

    /**
     * The fingerprint of each written row of the scope whose target key is still {@code targetKeyOf} its key, read in
     * one pass, when the scope holds at most {@code limit} rows; empty when it holds more (read no further than that).
     */
    public Optional<Map<String, String>> writtenFingerprints(LedgerScope scope, int limit,
                                                             Function<String, String> targetKeyOf) {
        try {
            return outage.call(() -> writtenFingerprintsOnce(scope, limit, targetKeyOf));
        } catch (SQLException e) {
            throw new LedgerException("cannot read the ledger", e);
        }
    }

    private Optional<Map<String, String>> writtenFingerprintsOnce(LedgerScope scope, int limit,
                                                                  Function<String, String> targetKeyOf)
            throws SQLException {
        Map<String, String> written = new HashMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT item_key, fingerprint, status, target_key FROM caravan_item WHERE " + IN_SCOPE)) {
            ps.setString(1, scope.job());
            ps.setString(2, scope.id());
            ps.setMaxRows(limit + 1);
            ps.setFetchSize(Math.min(1000, limit + 1));
            int rows = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    if (++rows > limit) {
                        return Optional.empty();
                    }
                    String key = rs.getString(1);
                    String targetKey = rs.getString(4);
                    if (LedgerStatus.ofColumn(rs.getString(3)).isWritten() && targetKey != null
                            && targetKey.equals(targetKeyOf.apply(key))) {
                        written.put(key, rs.getString(2));
                    }
                }
            }
        }
        return Optional.of(written);
    }

    public Optional<LedgerEntry> findByTargetKey(LedgerScope scope, String targetKey) {
        flush();
        return queryOne("SELECT " + COLUMNS + " FROM caravan_item WHERE " + IN_SCOPE + " AND target_key = ?", scope,
                targetKey);
    }

    /**
     * For each of these target keys (at most {@code LOOKUP_BATCH}) that a row of the scope holds, the key of the item
     * it belongs to, in one query (an index holds the scope's target keys): a written row's item first, else that of
     * a row that failed, is pending or was rejected there, whose earlier copy may well still be at the key.
     */
    public Map<String, String> ownersOf(LedgerScope scope, Collection<String> targetKeys) {
        if (targetKeys.isEmpty()) {
            return new HashMap<>();
        }
        String sql = "SELECT target_key, item_key, status FROM caravan_item WHERE " + IN_SCOPE + " AND target_key IN ("
                + String.join(", ", Collections.nCopies(targetKeys.size(), "?")) + ")";
        try {
            return outage.call(() -> {
                Map<String, String> owners = new HashMap<>();
                Set<String> written = new HashSet<>();
                try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, scope.job());
                    ps.setString(2, scope.id());
                    int i = 3;
                    for (String targetKey : targetKeys) {
                        ps.setString(i++, targetKey);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            String targetKey = rs.getString(1);
                            if (LedgerStatus.ofColumn(rs.getString(3)).isWritten()) {
                                written.add(targetKey);
                                owners.put(targetKey, rs.getString(2));
                            } else if (!written.contains(targetKey)) {
                                owners.putIfAbsent(targetKey, rs.getString(2));
                            }
                        }
                    }
                }
                return owners;
            });
        } catch (SQLException e) {
            throw new LedgerException("cannot read the ledger", e);
        }
    }

    public void recordDone(LedgerScope scope, String key, String fingerprint, String targetKey, String checksum,
                           long bytes) {
        recordDone(scope, key, fingerprint, targetKey, checksum, bytes, null);
    }

    /** @param onRecorded runs once the row is committed (on the ledger's writer thread), never if it is not */
    public void recordDone(LedgerScope scope, String key, String fingerprint, String targetKey, String checksum,
                           long bytes, Runnable onRecorded) {
        recordDone(scope, key, fingerprint, targetKey, checksum, bytes, Origin.NONE, onRecorded);
    }

    /** @param origin the run and the instance the item was done for, when it came through a broker hand-off */
    public void recordDone(LedgerScope scope, String key, String fingerprint, String targetKey, String checksum,
                           long bytes, Origin origin, Runnable onRecorded) {
        write(scope, key, fingerprint, LedgerStatus.DONE, targetKey, checksum, bytes, null, origin, onRecorded);
    }

    /** The item was written, and the target could not confirm what it stored. */
    public void recordUnverified(LedgerScope scope, String key, String fingerprint, String targetKey, String checksum,
                                 long bytes, Runnable onRecorded) {
        recordUnverified(scope, key, fingerprint, targetKey, checksum, bytes, Origin.NONE, onRecorded);
    }

    public void recordUnverified(LedgerScope scope, String key, String fingerprint, String targetKey, String checksum,
                                 long bytes, Origin origin, Runnable onRecorded) {
        write(scope, key, fingerprint, LedgerStatus.UNVERIFIED, targetKey, checksum, bytes, null, origin, onRecorded);
    }

    public void recordFailure(LedgerScope scope, String key, String fingerprint, LedgerStatus status, String targetKey,
                              String error) {
        recordFailure(scope, key, fingerprint, status, targetKey, error, Origin.NONE, null);
    }

    public void recordFailure(LedgerScope scope, String key, String fingerprint, LedgerStatus status, String targetKey,
                              String error, Origin origin, Runnable onRecorded) {
        write(scope, key, fingerprint, status, targetKey, null, 0, error, origin, onRecorded);
    }

    /**
     * Who a row was written for: the run that published the item through a broker hand-off and the instance that
     * did it. {@link #NONE} (both null) for items a run transfers itself.
     */
    public record Origin(String runId, String worker) {
        public static final Origin NONE = new Origin(null, null);
    }

    /** Items, and their bytes, of one outcome of a run (see {@link #outcomesOfRun}). */
    public record Outcomes(long items, long bytes) {
    }

    /**
     * The rows last written for this run, per status: a planning instance waits until they account for every item
     * it published. Committed rows only: each worker acknowledges an item after its row is committed.
     */
    public Map<LedgerStatus, Outcomes> outcomesOfRun(LedgerScope scope, String runId) {
        try {
            return outage.call(() -> {
                Map<LedgerStatus, Outcomes> counts = new HashMap<>();
                try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                        "SELECT status, COUNT(*), COALESCE(SUM(bytes), 0) FROM caravan_item WHERE " + IN_SCOPE
                                + " AND run_id = ? GROUP BY status")) {
                    ps.setString(1, scope.job());
                    ps.setString(2, scope.id());
                    ps.setString(3, runId);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            counts.put(LedgerStatus.ofColumn(rs.getString(1)), new Outcomes(rs.getLong(2),
                                    rs.getLong(3)));
                        }
                    }
                }
                return counts;
            });
        } catch (SQLException e) {
            throw new LedgerException("cannot read the ledger", e);
        }
    }

    /**
     * The rows last written for this run that are not done (rejected or failed), by key, each with the instance that
     * wrote it: a planning instance names them in its own rejects file, as the workers met them.
     */
    public void forEachNotDoneOfRun(LedgerScope scope, String runId, BiConsumer<LedgerEntry, String> consumer) {
        stream(scope, "SELECT " + COLUMNS + ", worker FROM caravan_item WHERE " + IN_SCOPE
                        + " AND run_id = ? AND status IN (?, ?) ORDER BY item_key",
                List.of(runId, LedgerStatus.REJECTED.column(), LedgerStatus.FAILED.column()),
                rs -> consumer.accept(entry(rs), rs.getString("worker")));
    }

    /** Rows last written for this run, per instance that wrote them. */
    public Map<String, Long> itemsOfRunByWorker(LedgerScope scope, String runId) {
        try {
            return outage.call(() -> {
                Map<String, Long> counts = new HashMap<>();
                try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                        "SELECT worker, COUNT(*) FROM caravan_item WHERE " + IN_SCOPE
                                + " AND run_id = ? GROUP BY worker")) {
                    ps.setString(1, scope.job());
                    ps.setString(2, scope.id());
                    ps.setString(3, runId);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            counts.put(String.valueOf(rs.getString(1)), rs.getLong(2));
                        }
                    }
                }
                return counts;
            });
        } catch (SQLException e) {
            throw new LedgerException("cannot read the ledger", e);
        }
    }

    /**
     * Each instance's share of the job's latest run (not a dry run; the running one, or the last), from the rows
     * written for it through a broker hand-off; empty before the first run. A run that transferred its items itself
     * stamps no row with its id, so it has no shares.
     */
    public Optional<RunShares> sharesOfLatestRun(String job) {
        flush();
        return latestRun(job, null, "run_id, scope_id, finished_at", "dry_run = FALSE", "started_at",
                rs -> new LatestRun(rs.getString(1), rs.getString(2), rs.getTimestamp(3) != null))
                .map(run -> sharesOf(job, run));
    }

    private record LatestRun(String runId, String scopeId, boolean finished) {
    }

    private RunShares sharesOf(String job, LatestRun run) {
        Map<String, RunShares.Share> byWorker = new TreeMap<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "SELECT worker, status, COUNT(*), COALESCE(SUM(bytes), 0) FROM caravan_item WHERE " + IN_SCOPE
                        + " AND run_id = ? GROUP BY worker, status")) {
            ps.setString(1, job);
            ps.setString(2, run.scopeId());
            ps.setString(3, run.runId());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String worker = String.valueOf(rs.getString(1));
                    byWorker.merge(worker, RunShares.Share.of(worker, LedgerStatus.ofColumn(rs.getString(2)),
                            rs.getLong(3), rs.getLong(4)), RunShares.Share::plus);
                }
            }
        } catch (SQLException e) {
            throw new LedgerException("cannot read the runs of job " + job, e);
        }
        return new RunShares(run.runId(), run.finished(), List.copyOf(byWorker.values()));
    }

    /** Verify found the item missing or different at the target: the next run copies it again. */
    public void markPending(LedgerScope scope, LedgerEntry entry, String reason) {
        write(scope, entry.key(), entry.fingerprint(), LedgerStatus.PENDING, entry.targetKey(), null, 0, reason);
    }

    public Map<LedgerStatus, Long> countByStatus(LedgerScope scope) {
        flush();
        return scopes.counts(scope.job(), scope.id());
    }

    /** Streams a scope's rows in key order without holding them in memory. */
    public void forEach(LedgerScope scope, Consumer<LedgerEntry> consumer) {
        flush();
        stream(scope, "SELECT " + COLUMNS + " FROM caravan_item WHERE " + IN_SCOPE + " ORDER BY item_key", List.of(),
                rs -> consumer.accept(entry(rs)));
    }

    private interface RowHandler {
        void accept(ResultSet rs) throws SQLException;
    }

    /** Runs a query of the scope's rows (its job and scope id first, then {@code more}), a thousand rows at a time. */
    private void stream(LedgerScope scope, String sql, List<String> more, RowHandler handler) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // PostgreSQL streams with a fetch size only inside a transaction
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setFetchSize(1000);
                ps.setString(1, scope.job());
                ps.setString(2, scope.id());
                for (int i = 0; i < more.size(); i++) {
                    ps.setString(3 + i, more.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        handler.accept(rs);
                    }
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new LedgerException("cannot read the ledger of job " + scope.job(), e);
        }
    }

    /**
     * Takes the scope's run lock for a run that writes (see {@link RunLock}); close it when the run ends. A dry run
     * writes nothing and takes none.
     *
     * @throws io.caravan.item.JobFatalException when another process is running the same job and scope
     */
    public RunLock lockRun(LedgerScope scope, boolean dryRun) {
        return RunLock.take(database, database.isPostgres() && !dryRun, scope);
    }

    /** True when the ledger database answers; the readiness check of the long-lived process uses it. */
    public boolean isReachable() {
        try (Connection c = dataSource.getConnection()) {
            return c.isValid(2);
        } catch (SQLException e) {
            return false;
        }
    }

    public void recordRunStart(String runId, LedgerScope scope, boolean dryRun, Instant startedAt) {
        update("INSERT INTO caravan_run (run_id, job, scope_id, dry_run, started_at) VALUES (?, ?, ?, ?, ?)",
                runId, scope.job(), scope.id(), dryRun, Timestamp.from(startedAt));
    }

    public void recordRunEnd(String runId, Instant finishedAt, int exitCode, String reportJson) {
        update("UPDATE caravan_run SET finished_at = ?, exit_code = ?, report = ? WHERE run_id = ?",
                Timestamp.from(finishedAt), exitCode, reportJson, runId);
    }

    /** The JSON report of the job's most recent finished run, in any scope, if any. */
    public Optional<String> lastReport(String job) {
        return latestRun(job, null, "report", "finished_at IS NOT NULL", "finished_at", rs -> rs.getString(1));
    }

    private Map<String, LedgerEntry> findAllOnce(LedgerScope scope, List<String> keys) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            return lookup.find(c, scope, keys);
        }
    }

    /** When the scope's latest run that wrote and left nothing behind (exit code 0) started, if any. */
    public Optional<Instant> lastCompleteRunStart(LedgerScope scope) {
        return latestRun(scope.job(), scope.id(), "started_at", "exit_code = 0 AND dry_run = FALSE", "started_at",
                rs -> rs.getTimestamp(1).toInstant());
    }

    /** A column of the job's latest run (by {@code order}), in one scope or any, that matches {@code condition}. */
    private <T> Optional<T> latestRun(String job, String scopeId, String column, String condition, String order,
                                      Column<T> read) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT " + column + " FROM caravan_run WHERE job = ? AND "
                     + (scopeId == null ? "" : "scope_id = ? AND ") + condition + " ORDER BY " + order + " DESC")) {
            ps.setMaxRows(1);
            ps.setString(1, job);
            if (scopeId != null) {
                ps.setString(2, scopeId);
            }
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

    private void write(LedgerScope scope, String key, String fingerprint, LedgerStatus status, String targetKey,
                       String checksum, long bytes, String error) {
        write(scope, key, fingerprint, status, targetKey, checksum, bytes, error, Origin.NONE, null);
    }

    private void write(LedgerScope scope, String key, String fingerprint, LedgerStatus status, String targetKey,
                       String checksum, long bytes, String error, Origin origin, Runnable onRecorded) {
        itemWrites.write(onRecorded, scope.id(), scope.job(), key, fingerprint, status.column(), targetKey, checksum,
                bytes, truncate(error, 2000), Timestamp.from(Instant.now()), origin.runId(),
                truncate(origin.worker(), 200));
    }

    private void update(String sql, Object... params) {
        try {
            outage.call(() -> {
                try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                    for (int i = 0; i < params.length; i++) {
                        ps.setObject(i + 1, params[i]);
                    }
                    return ps.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw new LedgerException("cannot write to the ledger", e);
        }
    }

    private Optional<LedgerEntry> queryOne(String sql, LedgerScope scope, String key) {
        try {
            return outage.call(() -> {
                try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
                    ps.setString(1, scope.job());
                    ps.setString(2, scope.id());
                    ps.setString(3, key);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(entry(rs)) : Optional.empty();
                    }
                }
            });
        } catch (SQLException e) {
            throw new LedgerException("cannot read the ledger", e);
        }
    }

    static LedgerEntry entry(ResultSet rs) throws SQLException {
        return new LedgerEntry(rs.getString(1), rs.getString(2), rs.getString(3), LedgerStatus.ofColumn(rs.getString(4)),
                rs.getString(5), rs.getString(6), rs.getLong(7), rs.getInt(8), rs.getString(9),
                rs.getTimestamp(10).toInstant());
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
