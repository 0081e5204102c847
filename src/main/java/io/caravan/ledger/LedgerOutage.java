package io.caravan.ledger;

import dev.failsafe.Failsafe;
import dev.failsafe.FailsafeException;
import dev.failsafe.FailsafeExecutor;
import dev.failsafe.RetryPolicy;
import dev.failsafe.function.CheckedSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Set;

/**
 * A ledger database that went away (restarted, failed over, a network cut) is waited for, up to
 * {@code caravan.ledger.outage-wait}: the call that met the outage is tried again until the database answers, and
 * the workers wait meanwhile (at most {@link GroupCommit#UNRECORDED} items done and not yet recorded). Past the wait,
 * the error goes up and the job stops with exit 2. Only a lost connection is waited for: a statement the database
 * refuses (a full disk, a read-only file) stops the job at once.
 */
final class LedgerOutage {

    private static final Logger LOG = LoggerFactory.getLogger(LedgerOutage.class);
    /** PostgreSQL's "the server is shutting down or starting up" (57P01-57P03), besides every connection class. */
    private static final Set<String> OPERATOR_STATES = Set.of("57P01", "57P02", "57P03");

    private final Duration wait;
    private final FailsafeExecutor<Object> executor;

    LedgerOutage(Duration wait) {
        this.wait = wait;
        RetryPolicy<Object> retry = RetryPolicy.builder()
                .handleIf(LedgerOutage::isOutage)
                .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(2))
                .withMaxRetries(-1)
                .withMaxDuration(wait)
                .onFailedAttempt(e -> {
                    if (e.getAttemptCount() == 1) {
                        LOG.warn("the ledger is unreachable ({}): waiting for it up to {} s",
                                e.getLastException().getMessage(), wait.toSeconds());
                    }
                })
                .onRetriesExceeded(e -> LOG.error("the ledger stayed unreachable for {} s: the job stops",
                        wait.toSeconds()))
                .build();
        this.executor = Failsafe.with(retry);
    }

    static boolean isOutage(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException || t instanceof SQLRecoverableException) {
                return true;
            }
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || OPERATOR_STATES.contains(sql.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    /** Runs the call, again while the database is unreachable, up to the wait. */
    @SuppressWarnings("unchecked")
    <T> T call(CheckedSupplier<T> call) throws SQLException {
        try {
            return (T) executor.get((CheckedSupplier<Object>) call);
        } catch (FailsafeException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw sql;
            }
            throw e;
        }
    }

    Duration waitLimit() {
        return wait;
    }
}
