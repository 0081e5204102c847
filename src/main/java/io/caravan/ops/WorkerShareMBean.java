package io.caravan.ops;

/**
 * A {@code caravan work} instance as operators see it over JMX: {@code io.caravan:type=Worker,name=<job>}. The counts
 * are this instance's share of the job's work since it started, whichever runs published the items.
 */
public interface WorkerShareMBean {

    /** This instance's name ({@code caravan.instance}, else host name and process id), as in the ledger's rows. */
    String getInstance();

    /** WORKING, or STOPPING once a stop or a job-fatal error was seen. */
    String getState();

    long getDone();

    long getRejected();

    long getFailed();

    long getBytes();

    double getItemsPerSecond();

    double getBytesPerSecond();

    /** The last reason an item did not move on this instance, or a fatal error. */
    String getLastError();
}
