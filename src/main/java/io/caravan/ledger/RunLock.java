package io.caravan.ledger;

import io.caravan.item.JobFatalException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Held while a run writes, so that a second run of the same job and scope on a shared PostgreSQL ledger is refused
 * instead of copying the same items beside the first (two SQL loads of one table would empty each other's chunks). A
 * session advisory lock on a connection of its own, outside the ledger's pool: PostgreSQL lets it go when that
 * connection ends, a killed run's included. The connection is asked every {@value #CHECK_SECONDS} s whether it is
 * still there (which also keeps it from idling out); when the ledger restarted under it, the lock is taken again,
 * and when another run took it meanwhile, this run is told to stop. The embedded H2 file is opened by one process at
 * a time, so it needs none. Scale-out workers ({@code caravan work}) take none: they share the planner's run.
 */
public final class RunLock implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);
    private static final RunLock NONE = new RunLock(null, null);
    static final int CHECK_SECONDS = 5;
    private static final String KEY = "hashtext('caravan run'), hashtext(?)";
    private static final String HOLDER = "SELECT a.application_name, a.backend_start FROM pg_locks l"
            + " JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted"
            + " AND l.objsubid = 2 AND l.classid::int4 = hashtext('caravan run') AND l.objid::int4 = hashtext(?)";

    private final LedgerDatabase database;
    private final LedgerScope scope;
    private Connection held;
    private ScheduledExecutorService checks;
    private volatile Consumer<String> onLost = reason -> LOG.error("{}", reason);

    private RunLock(LedgerDatabase database, LedgerScope scope) {
        this.database = database;
        this.scope = scope;
    }

    /**
     * @throws JobFatalException when another process holds the scope's lock, naming it
     */
    static RunLock take(LedgerDatabase database, boolean lock, LedgerScope scope) {
        if (!lock) {
            return NONE;
        }
        RunLock runLock = new RunLock(database, scope);
        try {
            runLock.held = runLock.lockedConnection()
                    .orElseThrow(() -> new JobFatalException(runLock.refusal()));
        } catch (SQLException e) {
            throw new LedgerException("cannot take the job's run lock in the ledger", e);
        }
        runLock.checks = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "caravan-run-lock-" + scope.job());
            t.setDaemon(true);
            return t;
        });
        runLock.checks.scheduleWithFixedDelay(runLock::check, CHECK_SECONDS, CHECK_SECONDS, TimeUnit.SECONDS);
        return runLock;
    }

    /** What the run does when the lock went to another run while this one had lost the ledger: it stops. */
    public void onLost(Consumer<String> reaction) {
        this.onLost = reaction;
    }

    private Optional<Connection> lockedConnection() throws SQLException {
        Connection c = database.connectionOfItsOwn("caravan run of " + scope.job() + " on " + ProcessHandle.current()
                .pid() + "@" + hostName());
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(" + KEY + ")")) {
            ps.setString(1, scope.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return Optional.of(c);
                }
            }
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        c.close();
        return Optional.empty();
    }

    private String refusal() {
        String holder = "";
        try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(HOLDER)) {
            ps.setString(1, scope.id());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    holder = " (" + rs.getString(1) + ", connected since " + rs.getTimestamp(2).toInstant() + ")";
                }
            }
        } catch (SQLException e) {
            // the refusal stands without the holder's name
        }
        return "job " + scope.job() + " is already running against this ledger" + holder + " (scope " + scope.id()
                + "): two runs at once would copy the same items over each other; wait for it to finish, or stop it";
    }

    private synchronized void check() {
        if (held == null) {
            return;
        }
        try (PreparedStatement ps = held.prepareStatement("SELECT 1")) {
            ps.execute();
            return;
        } catch (SQLException lost) {
            closeQuietly(held);
            held = null;
        }
        try {
            held = lockedConnection().orElse(null);
            if (held == null) {
                checks.shutdown();
                onLost.accept("the ledger's connection holding job " + scope.job() + "'s run lock was lost, and another"
                        + " run took the lock meanwhile: this run stops so that the two do not copy side by side");
            } else {
                LOG.warn("job {}: the ledger's connection holding the run lock was lost; the lock is taken again",
                        scope.job());
            }
        } catch (SQLException stillAway) {
            // the ledger is away: the run waits for it as well; asked again at the next check
        }
    }

    /** Lets the lock go with its connection. */
    @Override
    public synchronized void close() {
        if (checks != null) {
            checks.shutdownNow();
        }
        closeQuietly(held);
        held = null;
    }

    private static void closeQuietly(Connection c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (SQLException ignored) {
            // the session, and its lock, end with the connection either way
        }
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown host";
        }
    }
}
