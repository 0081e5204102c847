package io.caravan.ledger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Group commit of one statement's rows: every caller returns only once its own row is committed, but the rows of
 * all the workers that write at the same moment share one transaction. With 16 workers and an embedded database
 * that syncs each commit, that is most of the ledger's cost gone, and a killed run still loses no recorded item.
 *
 * <p>No thread of its own: whoever takes the lock writes everything queued so far, its own row and the others'.
 */
final class GroupCommit {

    private static final int MAX_BATCH = 512;

    private final DataSource dataSource;
    private final String sql;
    private final Queue<PendingRow> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock lock = new ReentrantLock();

    GroupCommit(DataSource dataSource, String sql) {
        this.dataSource = dataSource;
        this.sql = sql;
    }

    void write(Object... params) {
        PendingRow row = new PendingRow(params);
        queue.add(row);
        lock.lock();
        try {
            while (!row.done) {
                commitBatch(drain());
            }
        } finally {
            lock.unlock();
        }
        if (row.error != null) {
            throw row.error;
        }
    }

    private List<PendingRow> drain() {
        List<PendingRow> batch = new ArrayList<>();
        PendingRow next;
        while (batch.size() < MAX_BATCH && (next = queue.poll()) != null) {
            batch.add(next);
        }
        return batch;
    }

    private void commitBatch(List<PendingRow> batch) {
        try {
            execute(batch);
            batch.forEach(row -> row.done = true);
        } catch (SQLException e) {
            if (batch.size() == 1) {
                batch.get(0).fail(new LedgerException("cannot write to the ledger", e));
            } else {
                batch.forEach(row -> commitBatch(List.of(row))); // one bad row must not fail its neighbours
            }
        }
    }

    private void execute(List<PendingRow> batch) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (PendingRow row : batch) {
                    for (int i = 0; i < row.params.length; i++) {
                        ps.setObject(i + 1, row.params[i]);
                    }
                    ps.addBatch();
                }
                ps.executeBatch();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    private static final class PendingRow {
        private final Object[] params;
        private boolean done;
        private LedgerException error;

        private PendingRow(Object[] params) {
            this.params = params;
        }

        private void fail(LedgerException e) {
            error = e;
            done = true;
        }
    }
}
