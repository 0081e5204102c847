package io.caravan.pipeline;

import io.caravan.job.Job;
import org.apache.camel.Exchange;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The jobs this process knows, by name; stages find theirs through the exchange's job property. */
public final class Jobs {

    private final Map<String, Job> byName = new ConcurrentHashMap<>();

    public void register(Job job) {
        byName.put(job.name(), job);
    }

    public Job of(Exchange exchange) {
        String name = exchange.getProperty(CaravanHeaders.JOB, String.class);
        Job job = byName.get(name);
        if (job == null) {
            throw new IllegalStateException("no job named '" + name + "' is loaded");
        }
        return job;
    }
}
