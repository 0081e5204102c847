package io.caravan.job;

import org.apache.camel.ProducerTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sends a job's events to the Java listeners of {@code hooks.listeners} and, when {@code hooks.endpoint} names one,
 * to a Camel endpoint ({@code direct:silverstripe.events}), the event as the body and its phase, job and subtask in
 * the headers {@code CaravanEvent}, {@code CaravanJob} and {@code CaravanSubtask}, so a route can act on them.
 */
final class JobHooks {

    private static final Logger LOG = LoggerFactory.getLogger(JobHooks.class);

    private final List<JobListener> listeners;
    private final String endpoint;
    private final ProducerTemplate camel;

    private JobHooks(List<JobListener> listeners, String endpoint, ProducerTemplate camel) {
        this.listeners = listeners;
        this.endpoint = endpoint;
        this.camel = camel;
    }

    static JobHooks of(JobSettings settings, ProducerTemplate camel) {
        List<JobListener> listeners = new ArrayList<>();
        for (String className : settings.list("hooks.listeners")) {
            try {
                listeners.add((JobListener) Class.forName(className).getConstructor().newInstance());
            } catch (ReflectiveOperationException | ClassCastException e) {
                throw new ConfigException("hooks.listeners: cannot make a JobListener of " + className + ": " + e);
            }
        }
        return new JobHooks(listeners, settings.string("hooks.endpoint", ""), camel);
    }

    void fire(JobEvent event) {
        for (JobListener listener : listeners) {
            try {
                listener.on(event);
            } catch (RuntimeException e) {
                LOG.warn("hook {} failed on {}: {}", listener.getClass().getName(), event.phase().label(), e.toString());
            }
        }
        if (!endpoint.isEmpty()) {
            try {
                camel.sendBodyAndHeaders(endpoint, event, Map.of("CaravanEvent", event.phase().label(),
                        "CaravanJob", event.job(), "CaravanSubtask", event.subtask() == null ? "" : event.subtask()));
            } catch (RuntimeException e) {
                LOG.warn("hook endpoint {} failed on {}: {}", endpoint, event.phase().label(), e.toString());
            }
        }
    }
}
