package io.caravan.ledger;

import io.caravan.pipeline.CaravanHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.spi.IdempotentRepository;
import org.apache.camel.support.service.ServiceSupport;

/**
 * The ledger as a Camel {@link IdempotentRepository} for one job's scope, so a YAML route can use
 * {@code idempotentConsumer} with {@code #ledger}. Fingerprint-aware: an item whose fingerprint
 * (exchange property {@value CaravanHeaders#FINGERPRINT}) differs from the recorded one is not a duplicate.
 * An item is recorded only once its exchange says the target write was verified.
 */
public class LedgerIdempotentRepository extends ServiceSupport implements IdempotentRepository {

    private final Ledger ledger;
    private final LedgerScope scope;

    public LedgerIdempotentRepository(Ledger ledger, LedgerScope scope) {
        this.ledger = ledger;
        this.scope = scope;
    }

    @Override
    public boolean contains(Exchange exchange, String key) {
        String fingerprint = exchange.getProperty(CaravanHeaders.FINGERPRINT, String.class);
        return ledger.find(scope, key).map(e -> e.isDoneWith(fingerprint)).orElse(false);
    }

    @Override
    public boolean add(Exchange exchange, String key) {
        if (!exchange.getProperty(CaravanHeaders.VERIFIED, false, Boolean.class)) {
            return !contains(exchange, key);
        }
        // A verified write of this (key, fingerprint) is new state by construction: no second query on the hot path.
        String fingerprint = exchange.getProperty(CaravanHeaders.FINGERPRINT, String.class);
        String targetKey = exchange.getProperty(CaravanHeaders.TARGET_KEY, String.class);
        String checksum = exchange.getProperty(CaravanHeaders.CHECKSUM, String.class);
        long bytes = exchange.getProperty(CaravanHeaders.BYTES, 0L, Long.class);
        Runnable onRecorded = exchange.getProperty(CaravanHeaders.ON_RECORDED, Runnable.class);
        Ledger.Origin origin = originOf(exchange);
        if (exchange.getProperty(CaravanHeaders.UNVERIFIED, false, Boolean.class)) {
            ledger.recordUnverified(scope, key, fingerprint, targetKey, checksum, bytes, origin, onRecorded);
        } else {
            ledger.recordDone(scope, key, fingerprint, targetKey, checksum, bytes, origin, onRecorded);
        }
        return true;
    }

    /** The run and instance an item came from through a broker hand-off, or {@link Ledger.Origin#NONE}. */
    public static Ledger.Origin originOf(Exchange exchange) {
        String runId = exchange.getProperty(CaravanHeaders.RUN_ID, String.class);
        return runId == null ? Ledger.Origin.NONE
                : new Ledger.Origin(runId, exchange.getProperty(CaravanHeaders.WORKER, String.class));
    }

    @Override
    public boolean confirm(Exchange exchange, String key) {
        return true;
    }

    @Override
    public boolean remove(Exchange exchange, String key) {
        return false; // a failed attempt leaves the last verified outcome in place
    }

    @Override
    public boolean contains(String key) {
        return ledger.find(scope, key).map(e -> e.status().isWritten()).orElse(false);
    }

    @Override
    public boolean add(String key) {
        throw new UnsupportedOperationException("the ledger records an item with its fingerprint: use add(Exchange, key)");
    }

    @Override
    public boolean remove(String key) {
        return false;
    }

    @Override
    public boolean confirm(String key) {
        return true;
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("the ledger is never cleared from a route");
    }
}
