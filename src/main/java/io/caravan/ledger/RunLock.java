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
    private static final String HOLDER = "SELECT a.application_name, a.backend_start, a.pid FROM pg_locks l"
            + " JOIN pg_stat_activity a ON a.pid = l.pid WHERE l.locktype = 'advisory' AND l.granted"
            + " AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            + " AND l.objsubid = 2 AND l.classid::int4 = hashtext('caravan run') AND l.objid::int4 = hashtext(?)";

    private final LedgerDatabase database;
    private final LedgerScope scope;
    private final String name;
    private volatile Connection held;
    /**
     * The server's process of the session that holds, or last held, the lock, and when it began (a pid alone may be
     * another's after a restart): to know that session again when it lingers.
     */
    private volatile String heldBy = "";
    private volatile boolean closed;
    private ScheduledExecutorService checks;
    private volatile Consumer<String> onLost = reason -> LOG.error("{}", reason);

    private RunLock(LedgerDatabase database, LedgerScope scope) {
        this.database = database;
        this.scope = scope;
        this.name = scope == null ? null
                : "caravan run of " + scope.job() + " on " + ProcessHandle.current().pid() + "@" + hostName();
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
        Connection c = database.connectionOfItsOwn(name);
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_try_advisory_lock(" + KEY + "), pg_backend_pid(),"
                + " (SELECT backend_start FROM pg_stat_activity WHERE pid = pg_backend_pid())")) {
            ps.setString(1, scope.id());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    heldBy = rs.getInt(2) + " " + rs.getTimestamp(3).toInstant();
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

    /** The session holding the scope's lock: its name, since when, and its pid; empty when none or unknown. */
    private Optional<String[]> holder() {
        try (Connection c = database.dataSource().getConnection(); PreparedStatement ps = c.prepareStatement(HOLDER)) {
            ps.setString(1, scope.id());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new String[]{rs.getString(1),
                        rs.getTimestamp(2).toInstant().toString(), Integer.toString(rs.getInt(3))}) : Optional.empty();
            }
        } catch (SQLException e) {
            return Optional.empty();
        }
    }

    private String refusal() {
        String holder = holder().map(h -> " (" + h[0] + ", connected since " + h[1] + ")").orElse("");
        return "job " + scope.job() + " is already running against this ledger" + holder + " (scope " + scope.id()
                + "): two runs at once would copy the same items over each other; wait for it to finish, or stop it";
    }

    /**
     * Asks the lock's connection whether it is there; when it is not (the ledger restarted, the network dropped), takes
     * the lock again on a new one, at this check or a later one while the ledger is away. A session of this same
     * process still holding it (the server has not noticed the old connection gone) is ended. Another run holding it
     * stops this one.
     */
    private synchronized void check() {
        if (closed) {
            return;
        }
        Connection c = held;
        if (c != null) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1")) {
                ps.execute();
                return;
            } catch (SQLException lost) {
                held = null;
                closeQuietly(c);
            }
        }
        try {
            Connection taken = lockedConnection().orElse(null);
            if (taken != null) {
                held = taken;
                LOG.warn("job {}: the ledger's connection holding the run lock was lost; the lock is taken again",
                        scope.job());
                if (closed) {
                    closeQuietly(taken);
                }
                return;
            }
            Optional<String[]> holder = holder();
            if (holder.isPresent() && heldBy.equals(holder.get()[2] + " " + holder.get()[1])) {
                endOwnStaleSession(Integer.parseInt(holder.get()[2]));
                return; // taken at the next check
            }
            checks.shutdown();
            onLost.accept("the ledger's connection holding job " + scope.job() + "'s run lock was lost, and another"
                    + " run took the lock meanwhile" + holder.map(h -> " (" + h[0] + ")").orElse("")
                    + ": this run stops so that the two do not copy side by side");
        } catch (SQLException stillAway) {
            // the ledger is away: the run waits for it as well; asked again at the next check
        }
    }

    private void endOwnStaleSession(int pid) {
        try (Connection c = database.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("SELECT pg_terminate_backend(?)")) {
            ps.setInt(1, pid);
            ps.execute();
            LOG.warn("job {}: ended this run's own earlier ledger session {}, which still held the run lock",
                    scope.job(), pid);
        } catch (SQLException e) {
            // tried again at the next check
        }
    }

    /** Lets the lock go with its connection, without waiting for a check under way. */
    @Override
    public void close() {
        closed = true;
        if (checks != null) {
            checks.shutdownNow();
        }
        Connection c = held;
        held = null;
        if (c != null) {
            try {
                c.abort(Runnable::run); // ends the session, and the lock, even under a check's query
            } catch (SQLException | RuntimeException e) {
                closeQuietly(c);
            }
        }
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
