package io.caravan.job;

import io.caravan.convert.Conversion;
import io.caravan.ledger.Ledger;
import io.caravan.ledger.LedgerIdempotentRepository;
import io.caravan.ledger.LedgerScope;
import io.caravan.plan.ItemFilter;
import io.caravan.plan.KeyMapper;
import io.caravan.source.ItemSource;
import io.caravan.target.ItemTarget;
import io.caravan.transfer.BandwidthLimiter;
import io.caravan.transfer.RateLimiter;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** A configured job: its edges, its ledger, its limits, and the run in progress. */
public final class Job implements AutoCloseable {

    private final JobSettings settings;
    private final ItemSource source;
    private final ItemTarget target;
    private final Ledger ledger;
    private final LedgerScope scope;
    private final LedgerIdempotentRepository ledgerRepository;
    private final ItemFilter filter;
    private final KeyMapper keyMapper;
    private final BandwidthLimiter bandwidth;
    private final ThreadPoolExecutor workers;
    private final RateLimiter rateLimiter;
    private final int queueSize;
    private final Conversion conversion;
    private volatile JobRun run;

    Job(JobSettings settings, ItemSource source, ItemTarget target, Ledger ledger, LedgerScope scope,
        ItemFilter filter, KeyMapper keyMapper, BandwidthLimiter bandwidth, Conversion conversion, int workerCount,
        int queueSize) {
        this.settings = settings;
        this.source = source;
        this.target = target;
        this.ledger = ledger;
        this.scope = scope;
        this.ledgerRepository = new LedgerIdempotentRepository(ledger, scope);
        this.filter = filter;
        this.keyMapper = keyMapper;
        this.bandwidth = bandwidth;
        this.queueSize = queueSize;
        this.conversion = conversion;
        this.rateLimiter = InstanceLimits.of(settings).rateLimiter();
        AtomicInteger n = new AtomicInteger();
        // A bounded queue, and the splitter's own thread runs an item when it is full: listing never races ahead.
        this.workers = new ThreadPoolExecutor(workerCount, workerCount, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(queueSize),
                r -> new Thread(r, settings.job() + "-worker-" + n.incrementAndGet()),
                new ThreadPoolExecutor.CallerRunsPolicy());
    }

    public String name() {
        return settings.job();
    }

    public JobSettings settings() {
        return settings;
    }

    public ItemSource source() {
        return source;
    }

    public ItemTarget target() {
        return target;
    }

    public Ledger ledger() {
        return ledger;
    }

    /** The source and target this job migrates between, which its ledger rows are about. */
    public LedgerScope scope() {
        return scope;
    }

    public LedgerIdempotentRepository ledgerRepository() {
        return ledgerRepository;
    }

    /** What turns a source record into a target record; {@link Conversion#NONE} for files. */
    public Conversion conversion() {
        return conversion;
    }

    public ItemFilter filter() {
        return filter;
    }

    public KeyMapper keyMapper() {
        return keyMapper;
    }

    public BandwidthLimiter bandwidth() {
        return bandwidth;
    }

    /** Items per second this instance may start; unlimited unless caravan.rate-limit is set (see {@link InstanceLimits}). */
    public RateLimiter rateLimiter() {
        return rateLimiter;
    }

    /** How many listed items may wait for a worker. */
    public int queueSize() {
        return queueSize;
    }

    public ThreadPoolExecutor workers() {
        return workers;
    }

    public JobRun run() {
        return run;
    }

    public void startRun(JobRun newRun) {
        this.run = newRun;
    }

    @Override
    public void close() {
        workers.shutdownNow();
        source.close();
        target.close();
    }
}
