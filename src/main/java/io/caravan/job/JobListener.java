package io.caravan.job;

/**
 * Java code told of a job's events: named in {@code hooks.listeners} (class names, each with a public no-argument
 * constructor). A listener that throws is logged; it does not stop the job.
 */
public interface JobListener {

    void on(JobEvent event);
}
