package io.caravan.job;

import io.caravan.ledger.Ledger;
import io.caravan.ledger.LedgerScope;
import io.caravan.source.ItemSource;
import io.caravan.transfer.BufferBudget;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/** What an {@link EdgeType} builds an edge from. */
public final class EdgeContext {

    private final Path home;
    private final JobSettings settings;
    private final Ledger ledger;
    private final int workers;
    private final ItemSource source;
    private final AtomicReference<LedgerScope> scope;

    EdgeContext(Path home, JobSettings settings, Ledger ledger, int workers) {
        this(home, settings, ledger, workers, null, new AtomicReference<>());
    }

    private EdgeContext(Path home, JobSettings settings, Ledger ledger, int workers, ItemSource source,
                        AtomicReference<LedgerScope> scope) {
        this.home = home;
        this.settings = settings;
        this.ledger = ledger;
        this.workers = workers;
        this.source = source;
        this.scope = scope;
    }

    /** The home folder, which relative paths in the settings are resolved against. */
    public Path home() {
        return home;
    }

    public JobSettings settings() {
        return settings;
    }

    public Ledger ledger() {
        return ledger;
    }

    /** The job's parallel transfers, for the size of connection pools. */
    public int workers() {
        return workers;
    }

    /**
     * The job's source, once built (a target that only goes with one kind of source checks it); null while the
     * source itself is built.
     */
    public ItemSource source() {
        return source;
    }

    /**
     * The job's ledger scope, known once both edges are built (it is made of their identities): an edge that reads
     * the ledger asks for it when it needs it, not while it is built.
     */
    public LedgerScope scope() {
        LedgerScope known = scope.get();
        if (known == null) {
            throw new IllegalStateException("the ledger scope is known once the job's edges are built");
        }
        return known;
    }

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
        return new EdgeContext(home, settings, ledger, workers, built, scope);
    }

    /** The scope made of the built edges' identities. */
    void scopeIs(LedgerScope known) {
        scope.set(known);
    }
}
