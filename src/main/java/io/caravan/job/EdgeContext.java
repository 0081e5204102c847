package io.caravan.job;

import io.caravan.ledger.Ledger;
import io.caravan.source.ItemSource;
import io.caravan.transfer.BufferBudget;

import java.nio.file.Path;

/**
 * What an {@link EdgeType} builds an edge from.
 *
 * @param home     the home folder, which relative paths in the settings are resolved against
 * @param workers  the job's parallel transfers, for the size of connection pools
 * @param source   the job's source, once built (a target that only goes with one kind of source checks it); null
 *                 while the source itself is built
 */
public record EdgeContext(Path home, JobSettings settings, Ledger ledger, int workers, ItemSource source) {

    /** Where the job's ledger, reports and pack state go ({@code caravan.data-dir}). */
    public Path dataDir() {
        return home.resolve(settings.string("caravan.data-dir", "data"));
    }

    /** A new budget of body and part buffers ({@code caravan.buffer-memory}); the stores of one target share one. */
    public BufferBudget budget() {
        return BufferBudget.of(settings.bytes("caravan.buffer-memory", BufferBudget.defaultBytes()));
    }

    /** The source built, for building the target. */
    EdgeContext withSource(ItemSource built) {
        return new EdgeContext(home, settings, ledger, workers, built);
    }
}
