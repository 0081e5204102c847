package io.caravan.pipeline;

import io.caravan.item.ItemRejectedException;
import io.caravan.item.JobFatalException;
import io.caravan.item.RetryableException;
import io.caravan.ledger.LedgerException;
import jakarta.jms.JMSException;
import org.apache.activemq.artemis.api.core.ActiveMQException;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.springframework.jms.JmsException;

/**
 * The one error-handling configuration every pipeline route uses, after rclone's classes of errors:
 * retryable (redelivered with exponential backoff, then failed), item-fatal (rejected at once),
 * job-fatal (the run stops cleanly). Nothing escapes: each item ends done, rejected or failed.
 */
public final class ErrorHandling extends RouteConfigurationBuilder {

    public static final String ID = "caravan-errors";

    private final Jobs jobs;

    public ErrorHandling(Jobs jobs) {
        this.jobs = jobs;
    }

    @Override
    public void configuration() {
        routeConfiguration(ID)
                // a worker stopped by a job-fatal error: not handled, so the broker message is not acknowledged
                .onException(WorkerStoppedException.class).handled(false).maximumRedeliveries(0).end()
                .onException(ItemRejectedException.class).handled(true)
                    .process(new OutcomeStage(jobs, OutcomeStage.Kind.REJECTED)).end()
                .onException(JobFatalException.class, LedgerException.class).handled(true)
                    .process(new OutcomeStage(jobs, OutcomeStage.Kind.ABORTED)).end()
                // a hand-off message the broker did not confirm (it went away mid-send; the client reconnects):
                // published again, so an item is at worst in the queue twice, which a worker copies once
                .onException(RetryableException.class, JMSException.class, JmsException.class,
                        ActiveMQException.class).handled(true)
                    .maximumRedeliveries("{{caravan.retries}}")
                    .redeliveryDelay("{{caravan.retry-delay-ms}}")
                    .useExponentialBackOff().backOffMultiplier(2).maximumRedeliveryDelay(60_000)
                    .retryAttemptedLogLevel(LoggingLevel.WARN)
                    .onExceptionOccurred(new RetryAfterDelay())
                    .process(new OutcomeStage(jobs, OutcomeStage.Kind.FAILED)).end()
                .onException(Exception.class).handled(true)
                    .process(new OutcomeStage(jobs, OutcomeStage.Kind.FAILED)).end();

    }
}
