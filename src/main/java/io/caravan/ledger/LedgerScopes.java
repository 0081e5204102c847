package io.caravan.ledger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/** The scopes a ledger holds for each job: registered when a job opens, listed by status, deleted by forget. */
public final class LedgerScopes {

    /** The scope of rows written before scopes existed, until their job next opens. */
    static final String UNSCOPED = "";

    private final DataSource dataSource;

    LedgerScopes(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Registers the scope, and gives it the job's rows and runs from before scopes existed, if any: the upgrade's
     * promise that they count as the target the job names when it first opens after it.
     *
     * @return how many unscoped rows it took over
     */
    int open(LedgerScope scope) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                if (!exists(c, scope)) {
                    try (PreparedStatement ps = c.prepareStatement("INSERT INTO caravan_scope"
                            + " (scope_id, job, source, target, created_at) VALUES (?, ?, ?, ?, ?)")) {
                        ps.setString(1, scope.id());
                        ps.setString(2, scope.job());
                        ps.setString(3, truncate(scope.source()));
                        ps.setString(4, truncate(scope.target()));
                        ps.setTimestamp(5, Timestamp.from(Instant.now()));
                        ps.executeUpdate();
                    }
                }
                int adopted = adopt(c, "caravan_item", scope);
                adopt(c, "caravan_run", scope);
                c.commit();
                return adopted;
            } catch (SQLException e) {
                c.rollback();
                if (exists(c, scope)) { // another instance registered it at the same moment
                    return 0;
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new LedgerException("cannot register the ledger scope of job " + scope.job(), e);
        }
    }

    private static boolean exists(Connection c, LedgerScope scope) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM caravan_scope WHERE scope_id = ?")) {
            ps.setString(1, scope.id());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static int adopt(Connection c, String table, LedgerScope scope) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE " + table + " SET scope_id = ?"
                + " WHERE job = ? AND scope_id = ?")) {
            ps.setString(1, scope.id());
            ps.setString(2, scope.job());
            ps.setString(3, UNSCOPED);
            return ps.executeUpdate();
        }
    }

    /** The job's scopes, oldest first, with their rows' counts and latest run. */
    public List<Summary> of(String job) {
        List<Summary> scopes = new ArrayList<>();
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT s.scope_id, s.source, s.target,"
                     + " (SELECT MAX(r.started_at) FROM caravan_run r WHERE r.job = s.job AND r.scope_id = s.scope_id"
                     + " AND r.dry_run = FALSE)"
                     + " FROM caravan_scope s WHERE s.job = ? ORDER BY s.created_at, s.scope_id")) {
            ps.setString(1, job);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    Timestamp lastRun = rs.getTimestamp(4);
                    String id = rs.getString(1);
                    scopes.add(new Summary(id, rs.getString(2), rs.getString(3), counts(job, id),
                            lastRun == null ? null : lastRun.toInstant()));
                }
            }
            return scopes;
        } catch (SQLException e) {
            throw new LedgerException("cannot read the scopes of job " + job, e);
        }
    }

    Map<LedgerStatus, Long> counts(String job, String scopeId) {
        Map<LedgerStatus, Long> counts = new EnumMap<>(LedgerStatus.class);
        try (Connection c = dataSource.getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT status, COUNT(*) FROM caravan_item"
                     + " WHERE job = ? AND scope_id = ? GROUP BY status")) {
            ps.setString(1, job);
            ps.setString(2, scopeId);
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

    /** Deletes a scope with its rows and runs, in one transaction; returns how many rows it held. */
    public long forget(String job, String scopeId) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long rows = 0;
                for (String table : List.of("caravan_item", "caravan_run", "caravan_scope")) {
                    try (PreparedStatement ps = c.prepareStatement("DELETE FROM " + table
                            + " WHERE job = ? AND scope_id = ?")) {
                        ps.setString(1, job);
                        ps.setString(2, scopeId);
                        int deleted = ps.executeUpdate();
                        if (table.equals("caravan_item")) {
                            rows = deleted;
                        }
                    }
                }
                c.commit();
                return rows;
            } catch (SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new LedgerException("cannot forget scope " + scopeId + " of job " + job, e);
        }
    }

    private static String truncate(String identity) {
        return identity.length() <= Ledger.MAX_KEY_LENGTH ? identity : identity.substring(0, Ledger.MAX_KEY_LENGTH);
    }

    /** One scope of a job, as {@code caravan status} shows it. */
    public record Summary(String id, String source, String target, Map<LedgerStatus, Long> counts, Instant lastRun) {

        public long count(LedgerStatus status) {
            return counts.getOrDefault(status, 0L);
        }
    }
}
