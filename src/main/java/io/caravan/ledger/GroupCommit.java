package io.caravan.ledger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Group commit of one statement's rows, by one writer thread: a worker hands its row over and goes on with its
 * next item, and the writer commits what has queued up in one transaction (up to 256 rows), at most once every
 * {@link #COMMIT_INTERVAL_MS} unless that many rows are waiting, or a flush or an {@link AwaitedCommit} is. An
 * embedded database pays for every commit by rewriting its changed pages (H2 spent two thirds of the ledger's CPU
 * there with a commit per handful of rows), so few large commits are what keeps the ledger off the critical path of
 * small items.
 *
 * <p>A row is handed over only once its item is done at the target, so the ledger never says done for an item
 * that is not; after a kill, the items done in the last moments may not be recorded yet, and are done again
 * (each write is idempotent): at most {@link #UNRECORDED} of them, as a worker waits when that many rows are not
 * committed yet. {@link #flush()} waits until every row handed over is committed: the run ends with it. A row the database refuses does not take its batch down with it; the first such error is thrown by the next
 * {@link #write} or {@link #flush()}, and the job stops.
 */
final class GroupCommit {

    /** Rows handed over and not yet committed, at the most: what a kill can leave done but unrecorded. */
    static final int UNRECORDED = 256;
    private static final int MAX_BATCH = UNRECORDED;
    private static final long COMMIT_INTERVAL_MS = 50;

    private final DataSource dataSource;
    private final String sql;
    private final LedgerOutage outage;
    private final BlockingQueue<Row> queue = new LinkedBlockingQueue<>();
    private final AtomicBoolean writing = new AtomicBoolean();
    private final Object progress = new Object();
    private long handedOver;
    private long committed;
    /** Threads waiting in {@link #flush()}: while there is one, the writer commits without waiting. */
    private int flushing;
    /** Queued rows whose {@link AwaitedCommit} a thread waits on: while there is one, the same. */
    private int awaited;
    private LedgerException failure;

    GroupCommit(DataSource dataSource, String sql, LedgerOutage outage) {
        this.dataSource = dataSource;
        this.sql = sql;
        this.outage = outage;
    }

    /** A statement's parameters, and what to tell once they are committed (or null). */
    private record Row(Object[] params, Runnable onCommitted) {
    }

    /** @param onCommitted runs on the writer thread once the row is committed; never when it is refused */
    void write(Runnable onCommitted, Object... params) {
        synchronized (progress) {
            while (handedOver - committed >= UNRECORDED) {
                await();
            }
            throwFailure();
            handedOver++;
            queue.add(new Row(params, onCommitted));
            if (onCommitted instanceof AwaitedCommit) {
                awaited++;
                progress.notifyAll();
            } else if (queue.size() >= MAX_BATCH - 1) {
                progress.notifyAll(); // a full batch: the writer commits without waiting for its interval
            }
        }
        if (writing.compareAndSet(false, true)) {
            Thread writer = new Thread(this::writeUntilIdle, "caravan-ledger-writer");
            writer.setDaemon(true);
            writer.start();
        }
    }

    /** Returns once every row handed over so far is committed; throws the first row the database refused. */
    void flush() {
        synchronized (progress) {
            flushing++;
            progress.notifyAll();
            try {
                while (committed < handedOver) {
                    await();
                }
            } finally {
                flushing--;
            }
            throwFailure();
        }
    }

    private void await() {
        try {
            progress.wait(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LedgerException("interrupted while waiting for the ledger", e);
        }
    }

    private void throwFailure() {
        if (failure != null) {
            LedgerException e = failure;
            failure = null;
            throw e;
        }
    }

    /** The writer: commits batches while rows come, and ends after a second without any (a new one starts later). */
    private void writeUntilIdle() {
        while (true) {
            Row first;
            try {
                first = queue.poll(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                first = null;
            }
            if (first == null) {
                writing.set(false);
                if (queue.isEmpty() || !writing.compareAndSet(false, true)) {
                    return; // idle, or another writer took over
                }
                continue;
            }
            gather(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(COMMIT_INTERVAL_MS));
            List<Row> batch = new ArrayList<>();
            batch.add(first);
            queue.drainTo(batch, MAX_BATCH - 1);
            LedgerException refused = commit(batch);
            synchronized (progress) {
                committed += batch.size();
                awaited -= (int) batch.stream().filter(row -> row.onCommitted() instanceof AwaitedCommit).count();
                if (refused != null && failure == null) {
                    failure = refused;
                }
                progress.notifyAll();
            }
        }
    }

    /** Lets rows queue up until the deadline, a full batch, or a flush: the writer's first row is already taken. */
    private void gather(long deadline) {
        synchronized (progress) {
            long left;
            while (flushing == 0 && awaited == 0 && queue.size() < MAX_BATCH - 1
                    && (left = deadline - System.nanoTime()) > 0) {
                try {
                    TimeUnit.NANOSECONDS.timedWait(progress, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** @return the error of the first row refused, or null */
    private LedgerException commit(List<Row> batch) {
        try {
            outage.call(() -> execute(batch));
            for (Row row : batch) {
                if (row.onCommitted() != null) {
                    row.onCommitted().run();
                }
            }
            return null;
        } catch (SQLException e) {
            if (batch.size() == 1 || LedgerOutage.isOutage(e)) {
                return new LedgerException(LedgerOutage.isOutage(e) ? "the ledger stayed unreachable for "
                        + outage.waitLimit().toSeconds() + " s (caravan.ledger.outage-wait)" : "cannot write to the"
                        + " ledger", e);
            }
            LedgerException first = null;
            for (Row row : batch) { // one bad row must not fail its neighbours
                LedgerException refused = commit(List.of(row));
                first = first == null ? refused : first;
            }
            return first;
        } catch (RuntimeException | Error e) {
            // even an Error: the writer must go on counting, or workers and the run's flush would wait forever
            return new LedgerException("cannot write to the ledger: " + e, e);
        }
    }

    private int[] execute(List<Row> batch) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (Row row : batch) {
                    for (int i = 0; i < row.params().length; i++) {
                        ps.setObject(i + 1, row.params()[i]);
                    }
                    ps.addBatch();
                }
                int[] counts = ps.executeBatch();
                c.commit();
                c.setAutoCommit(true);
                return counts;
            } catch (SQLException | RuntimeException e) {
                restore(c, e);
                throw e;
            }
        }
    }

    /**
     * Rolls back and restores auto-commit, keeping the first error as the one thrown: on a connection the database
     * dropped, these fail too, with an error that no longer says why.
     */
    private static void restore(Connection c, Exception first) {
        try {
            c.rollback();
            c.setAutoCommit(true);
        } catch (SQLException e) {
            first.addSuppressed(e);
        }
    }
}
