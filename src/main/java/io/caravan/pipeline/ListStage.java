package io.caravan.pipeline;

import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;
import io.caravan.job.Job;
import io.caravan.job.JobRun;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

/**
 * list: sets the body to the job's listing, filtered and counted, read ahead of the workers by up to
 * {@code caravan.queue-size} items, for the streaming splitter. The listing ends early when the run is aborted.
 */
public final class ListStage implements Processor {

    private final Jobs jobs;

    public ListStage(Jobs jobs) {
        this.jobs = jobs;
    }

    @Override
    public void process(Exchange exchange) {
        Job job = jobs.of(exchange);
        exchange.getMessage().setBody(new ReadAhead<>(new Listing(job, job.source().list()),
                job.queueSize(), job.name() + "-lister"));
    }

    private static final class Listing implements CloseableIterator<Item> {
        private final Job job;
        private final JobRun run;
        private final CloseableIterator<Item> source;
        private Item next;

        Listing(Job job, CloseableIterator<Item> source) {
            this.job = job;
            this.run = job.run();
            this.source = source;
        }

        @Override
        public boolean hasNext() {
            while (next == null && !run.isAborted() && source.hasNext()) {
                Item item = source.next();
                run.stats().onListed();
                if (job.filter().accepts(item)) {
                    next = item;
                } else {
                    run.stats().onExcluded();
                }
            }
            if (next == null) {
                run.stats().onListingComplete();
            }
            return next != null;
        }

        @Override
        public Item next() {
            hasNext();
            Item item = next;
            next = null;
            return item;
        }

        @Override
        public void close() {
            source.close();
        }
    }
}
