package io.caravan.pipeline;

import io.caravan.convert.ConvertedContent;
import io.caravan.convert.Conversion;
import io.caravan.item.Item;
import io.caravan.item.JobFatalException;
import io.caravan.job.Job;
import io.caravan.source.ItemSource;
import io.caravan.target.ItemTarget;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.io.IOException;
import java.io.InputStream;

/**
 * transfer: read → write → verify one item. The source is opened anew on every attempt, so Camel's
 * redelivery can retry a transient failure from the first byte.
 */
public final class TransferStage implements Processor {

    private final Jobs jobs;

    public TransferStage(Jobs jobs) {
        this.jobs = jobs;
    }

    @Override
    public void process(Exchange exchange) throws IOException, InterruptedException {
        Job job = jobs.of(exchange);
        if (exchange.getProperty(CaravanHeaders.ALREADY_DONE, false, Boolean.class)) {
            return; // delivered again by the broker, and already done: the record stage writes its row for this run
        }
        job.run().awaitNotPaused();
        if (job.run().isAborted()) {
            if (Committed.isAcknowledged(exchange)) {
                throw new WorkerStoppedException("this worker stopped: " + job.run().fatalError());
            }
            exchange.setRouteStop(true);
            return;
        }
        job.rateLimiter().acquire();
        if (exchange.getProperty(CaravanHeaders.STARTED) == null) {
            // the first attempt's start, after the rate limit's wait: a redelivered item's time includes its retries
            exchange.setProperty(CaravanHeaders.STARTED, System.nanoTime());
        }
        Item item = exchange.getMessage().getBody(Item.class);
        String targetKey = exchange.getProperty(CaravanHeaders.TARGET_KEY, String.class);
        ItemSource.Content opened = job.source().open(item);
        ItemSource.Content content = job.conversion() == Conversion.NONE ? opened
                : ConvertedContent.of(job.conversion(), opened, exchange);
        if (content == null) {
            exchange.setProperty(CaravanHeaders.CHECKSUM, "-");
            exchange.setProperty(CaravanHeaders.BYTES, 0L);
            exchange.setProperty(CaravanHeaders.OUTCOME, "dropped by the conversion");
            exchange.setProperty(CaravanHeaders.VERIFIED, true);
            return;
        }
        ItemTarget.Written written;
        try (InputStream body = job.bandwidth().wrap(content.body())) {
            written = job.target().write(targetKey, item.size(), body, content.attributes(),
                    () -> {
                        content.verify().run();
                        job.source().checkUnchanged(item);
                    });
        } catch (VirtualMachineError e) {
            // an Error would escape Camel's error handling and leave the run waiting for this item forever
            throw new JobFatalException("the JVM ran out of resources while copying " + item.key() + ": " + e
                    + " (lower caravan.workers or caravan.buffer-memory, or give the JVM more memory)", e);
        }
        exchange.setProperty(CaravanHeaders.CHECKSUM, written.checksum());
        exchange.setProperty(CaravanHeaders.BYTES, written.bytes());
        exchange.setProperty(CaravanHeaders.OUTCOME, written.outcome());
        exchange.setProperty(CaravanHeaders.VERIFIED, true);
        exchange.setProperty(CaravanHeaders.UNVERIFIED, !written.verified());
        if (written.fingerprint() != null) {
            exchange.setProperty(CaravanHeaders.FINGERPRINT, written.fingerprint()); // what the ledger records
        }
    }
}
