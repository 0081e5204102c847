package io.caravan.pipeline;

import io.caravan.job.Job;
import org.apache.camel.Exchange;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The jobs this process knows, by name; stages find theirs through the exchange's job property.
 * A job whose route file appears while serving is opened on first use by the loader, and announced
 * to the listener (which gives it its MBean).
 */
public final class Jobs {

    private final Map<String, Job> byName = new ConcurrentHashMap<>();
    private final Function<String, Job> loader;
    private final Consumer<Job> onOpened;

    /** Only the jobs registered by hand. */
    public Jobs() {
        this(name -> null, job -> { });
    }

    public Jobs(Function<String, Job> loader, Consumer<Job> onOpened) {
        this.loader = loader;
        this.onOpened = onOpened;
    }

    public void register(Job job) {
        byName.put(job.name(), job);
    }

    /** The named job, opened now if the loader knows it. */
    public Job obtain(String name) {
        Job job = byName.get(name);
        if (job != null) {
            return job;
        }
        synchronized (this) {
            job = byName.get(name);
            if (job == null) {
                job = loader.apply(name);
                if (job == null) {
                    throw new IllegalStateException("no job named '" + name + "' is loaded");
                }
                byName.put(name, job);
                onOpened.accept(job);
            }
            return job;
        }
    }

    /** Puts a reopened job (new settings) in place of the old one, which is returned for closing. */
    public Job replace(Job job) {
        return byName.put(job.name(), job);
    }

    public Job of(Exchange exchange) {
        return obtain(exchange.getProperty(CaravanHeaders.JOB, String.class));
    }

    public Collection<Job> all() {
        return byName.values();
    }
}
