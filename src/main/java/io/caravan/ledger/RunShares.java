package io.caravan.ledger;

import java.util.List;

/**
 * How the instances of a scaled-out run shared its items: the ledger's rows last written for the run, per instance
 * that wrote them ({@code worker} column).
 *
 * @param finished false while the run goes on (or when it was killed before its end was recorded)
 */
public record RunShares(String runId, boolean finished, List<Share> instances) {

    /** One instance's rows of the run; done counts the written-unverified ones too, bytes are theirs. */
    public record Share(String instance, long done, long failed, long rejected, long bytes) {

        /** An instance's rows of one status; pending rows (set by verify, never by a run) count for nothing. */
        static Share of(String instance, LedgerStatus status, long items, long bytes) {
            return switch (status) {
                case DONE, UNVERIFIED -> new Share(instance, items, 0, 0, bytes);
                case FAILED -> new Share(instance, 0, items, 0, 0);
                case REJECTED -> new Share(instance, 0, 0, items, 0);
                case PENDING -> new Share(instance, 0, 0, 0, 0);
            };
        }

        Share plus(Share other) {
            return new Share(instance, done + other.done, failed + other.failed, rejected + other.rejected,
                    bytes + other.bytes);
        }
    }
}
