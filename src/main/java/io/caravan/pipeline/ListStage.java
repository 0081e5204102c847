package io.caravan.pipeline;

import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;
import io.caravan.item.Futures;
import io.caravan.item.LookaheadIterator;
import io.caravan.job.Job;
import io.caravan.job.JobRun;
import io.caravan.ledger.Ledger;
import io.caravan.ledger.LedgerEntry;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * list: sets the body to the job's listing, filtered, counted and looked up in the ledger a batch at a time, read
 * ahead of the workers by up to {@code caravan.queue-size} items, for the streaming splitter. The source is read on a
 * thread of its own, ahead of the ledger lookups. The listing ends early when the run is aborted.
 */
public final class ListStage implements Processor {

    private final Jobs jobs;

    public ListStage(Jobs jobs) {
        this.jobs = jobs;
    }

    @Override
    public void process(Exchange exchange) {
        Job job = jobs.of(exchange);
        CloseableIterator<?> started = job.run().takeListing();
        exchange.getMessage().setBody(started != null ? started : open(job));
    }

    /**
     * The job's current run's listing, started now on threads of its own: one walks the source, the others look its
     * items up in the ledger (on 2 cores, a rerun's listing of 20,000 files took 0.69 s with both on one thread).
     */
    public static CloseableIterator<?> open(Job job) {
        ReadAhead<Item> listing = new ReadAhead<>(() -> new Listing(job, job.source().list()),
                Ledger.LOOKUP_BATCH * 4, job.name() + "-lister");
        return new ReadAhead<>(new LedgerLookup(job, listing), job.queueSize(), job.name() + "-ledger-lookup");
    }

    /**
     * Looks the listed items up in the ledger {@value Ledger#LOOKUP_BATCH} at a time, {@value #LOOKUPS_IN_FLIGHT}
     * batches at once (on 2 cores, the lookups are what an unchanged rerun waits for), and counts the unchanged ones
     * there and then instead of handing them on. Batches are handed on in the order they were listed.
     */
    private static final class LedgerLookup extends LookaheadIterator<ListedItem> {
        private static final int LOOKUPS_IN_FLIGHT = 2;
        /** At most this many listed items wait in memory for the snapshot (a few MiB); the rest are looked up. */
        private static final int MOST_HELD_FOR_SNAPSHOT = 128 * Ledger.LOOKUP_BATCH;

        private final Job job;
        private final CloseableIterator<Item> items;
        private final ExecutorService lookups;
        private final Deque<Future<List<ListedItem>>> inFlight = new ArrayDeque<>();
        private final Deque<ListedItem> looked = new ArrayDeque<>();
        private final Future<Optional<UnchangedSnapshot>> snapshot;
        private final Deque<Item> held = new ArrayDeque<>();
        private final int mostHeld;
        private final TargetKeyGuard keys;
        private boolean holding = true;

        LedgerLookup(Job job, CloseableIterator<Item> items) {
            this.job = job;
            this.items = items;
            AtomicInteger n = new AtomicInteger();
            this.lookups = Executors.newFixedThreadPool(LOOKUPS_IN_FLIGHT, r -> {
                Thread t = new Thread(r, job.name() + "-ledger-lookup-" + n.incrementAndGet());
                t.setDaemon(true);
                return t;
            });
            this.snapshot = lookups.submit(() -> UnchangedSnapshot.read(job));
            this.mostHeld = Math.min(UnchangedSnapshot.rowsAllowed(job), MOST_HELD_FOR_SNAPSHOT);
            this.keys = TargetKeyGuard.of(job);
        }

        @Override
        protected ListedItem advance() {
            while (looked.isEmpty()) {
                if (holding) {
                    holdWhileTheSnapshotIsRead();
                }
                while (inFlight.size() < LOOKUPS_IN_FLIGHT && (!held.isEmpty() || items.hasNext())) {
                    List<Item> batch = new ArrayList<>(Ledger.LOOKUP_BATCH);
                    while (batch.size() < Ledger.LOOKUP_BATCH && (!held.isEmpty() || items.hasNext())) {
                        batch.add(held.isEmpty() ? items.next() : held.poll());
                    }
                    inFlight.add(lookups.submit(() -> toPlan(batch)));
                }
                if (inFlight.isEmpty()) {
                    return null;
                }
                looked.addAll(Futures.await(inFlight.poll(), "a ledger lookup"));
            }
            return keys.claimed(looked.poll()); // here, one thread, in the listing's order
        }

        /**
         * While the snapshot is being read, the listing goes on into memory instead of into lookups, which would read
         * the same ledger rows again on the same 2 cores: once it is read, it tells most of them unchanged at once.
         * An unchanged rerun of 20,000 files waited for the snapshot and the lookups one after the other. Past as many
         * items as a snapshot may hold rows (at most {@value #MOST_HELD_FOR_SNAPSHOT}), the rest are looked up as they
         * come: a scope too large for a snapshot.
         */
        private void holdWhileTheSnapshotIsRead() {
            holding = false;
            while (!snapshot.isDone() && held.size() < mostHeld && items.hasNext()) {
                held.add(items.next());
            }
            if (held.size() < mostHeld) {
                Futures.await(snapshot, "reading the ledger"); // read, or the listing ended first
            }
        }

        /** The batch's new, changed and unusable items; the unchanged ones are counted. */
        private List<ListedItem> toPlan(List<Item> listed) {
            List<Item> batch = withoutUnchanged(listed);
            if (batch.isEmpty()) {
                return List.of();
            }
            Map<String, LedgerEntry> recorded = job.ledger().findAll(job.scope(),
                    batch.stream().map(Item::key).toList());
            List<ListedItem> toPlan = new ArrayList<>();
            for (Item item : batch) {
                LedgerEntry entry = recorded.get(item.key());
                if (PlanStage.isUnchanged(job, item, entry)) {
                    PlanStage.countUnchanged(job, item);
                } else {
                    toPlan.add(new ListedItem(item, entry));
                }
            }
            return keys.withoutKeysTakenBefore(toPlan);
        }

        /**
         * The items the snapshot does not show as unchanged; those it does are counted here. A batch listed while the
         * snapshot is still being read is looked up instead of waiting for it: over a scope too large for a snapshot,
         * reading up to its limit of rows took half a second in which no lookup went on.
         */
        private List<Item> withoutUnchanged(List<Item> listed) {
            if (!snapshot.isDone()) {
                return listed;
            }
            UnchangedSnapshot unchanged = Futures.await(snapshot, "reading the ledger").orElse(null);
            if (unchanged == null) {
                return listed;
            }
            List<Item> rest = new ArrayList<>();
            for (Item item : listed) {
                if (unchanged.isUnchanged(item)) {
                    PlanStage.countUnchanged(job, item);
                } else {
                    rest.add(item);
                }
            }
            return rest;
        }

        /**
         * Lets a query under way end rather than interrupting it: an interrupt closes the embedded H2 ledger's file
         * channel, and with it the ledger for the rest of the process (seen when a listing of nothing closed while
         * the snapshot was still being read).
         */
        @Override
        public void close() {
            snapshot.cancel(false);
            inFlight.forEach(lookup -> lookup.cancel(false));
            lookups.shutdown();
            items.close();
        }
    }

    private static final class Listing extends LookaheadIterator<Item> {
        private final Job job;
        private final JobRun run;
        private final CloseableIterator<Item> source;

        Listing(Job job, CloseableIterator<Item> source) {
            this.job = job;
            this.run = job.run();
            this.source = source;
        }

        @Override
        protected Item advance() {
            while (!run.isAborted() && source.hasNext()) {
                Item item = source.next();
                run.stats().onListed(item.size());
                if (job.filter().accepts(item)) {
                    return item;
                }
                run.stats().onExcluded(item.size());
            }
            run.stats().onListingComplete();
            return null;
        }

        @Override
        public void close() {
            source.close();
        }
    }
}
