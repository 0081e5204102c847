package io.caravan.ops;

import io.caravan.ledger.Ledger;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/** Readiness: the process can take work only while the ledger database answers. */
public final class LedgerHealthCheck extends AbstractHealthCheck {

    private final Ledger ledger;

    public LedgerHealthCheck(Ledger ledger) {
        super("caravan", "ledger");
        this.ledger = ledger;
    }

    @Override
    public boolean isLiveness() {
        return false; // a database outage is not a reason to restart the process
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        if (ledger.isReachable()) {
            builder.up();
        } else {
            builder.message("the ledger database does not answer").down();
        }
    }
}
