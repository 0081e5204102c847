package io.caravan.ledger;

import io.caravan.item.JobFatalException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Held while a run writes, so that a second run of the same job and scope on a shared PostgreSQL ledger is refused
 * instead of copying the same items beside the first (two SQL loads of one table would empty each other's chunks). A
 * session advisory lock on a connection of its own: PostgreSQL lets it go when that connection ends, a killed run's
 * included. The embedded H2 file is opened by one process at a time, so it needs none. Scale-out workers
 * ({@code caravan work}) take none: they share the run that published their work.
 */
public final class RunLock implements AutoCloseable {

    private static final RunLock NONE = new RunLock(null, null);
    private static final String TRY = "SELECT pg_try_advisory_lock(hashtext('caravan run'), hashtext(?))";
    private static final String UNLOCK = "SELECT pg_advisory_unlock(hashtext('caravan run'), hashtext(?))";
    private static final String HOLDER = "SELECT run_id, started_at FROM caravan_run WHERE scope_id = ?"
            + " AND finished_at IS NULL AND dry_run = FALSE ORDER BY started_at DESC";

    private final Connection held;
    private final String scopeId;

    private RunLock(Connection held, String scopeId) {
        this.held = held;
        this.scopeId = scopeId;
    }

    /**
     * @throws JobFatalException when another process holds the scope's lock, naming its run when the ledger has it
     */
    static RunLock take(DataSource dataSource, boolean postgres, LedgerScope scope) {
        if (!postgres) {
            return NONE;
        }
        Connection c = null;
        try {
            c = dataSource.getConnection();
            try (PreparedStatement ps = c.prepareStatement(TRY)) {
                ps.setString(1, scope.id());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    if (rs.getBoolean(1)) {
                        return new RunLock(c, scope.id());
                    }
                }
            }
            String holder = holder(c, scope);
            c.close();
            throw new JobFatalException("job " + scope.job() + " is already running against this ledger" + holder
                    + " (scope " + scope.id() + "): two runs at once would copy the same items over each other;"
                    + " wait for it to finish, or stop it");
        } catch (SQLException e) {
            closeQuietly(c);
            throw new LedgerException("cannot take the job's run lock in the ledger", e);
        }
    }

    private static String holder(Connection c, LedgerScope scope) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(HOLDER)) {
            ps.setString(1, scope.id());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? ": run " + rs.getString(1) + ", started " + rs.getTimestamp(2).toInstant()
                        + " and not finished" : "";
            }
        }
    }

    /**
     * Lets the lock go before the connection goes back to the pool, where its session, and so the lock, would live
     * on. A connection that cannot unlock is aborted: its session ends, and the lock with it.
     */
    @Override
    public void close() {
        if (held == null) {
            return;
        }
        try (PreparedStatement ps = held.prepareStatement(UNLOCK)) {
            ps.setString(1, scopeId);
            ps.execute();
        } catch (SQLException e) {
            try {
                held.abort(Runnable::run);
            } catch (SQLException ignored) {
                // closed already
            }
        }
        closeQuietly(held);
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing more to let go
        }
    }
}
