package io.caravan.ops;

import io.caravan.job.JobRun;
import io.caravan.job.JobStats;

/** The JMX face of one {@code caravan work} instance: its share of a job's items. */
final class WorkerShare extends StatsAttributes implements WorkerShareMBean {

    private final JobRun run;
    private final String instance;
    private volatile boolean stopping;

    /** @param run the worker's own run, which counts every item this instance transfers */
    WorkerShare(JobRun run, String instance) {
        this.run = run;
        this.instance = instance;
    }

    @Override
    JobStats stats() {
        return run.stats();
    }

    boolean isWorking() {
        return !stopping && !run.isAborted();
    }

    void stopping() {
        stopping = true;
    }

    @Override
    public String getInstance() {
        return instance;
    }

    @Override
    public String getState() {
        return isWorking() ? "WORKING" : "STOPPING";
    }

    @Override
    public String getLastError() {
        String error = run.lastError();
        return error == null ? "" : error;
    }
}
