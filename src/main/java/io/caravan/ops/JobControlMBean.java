package io.caravan.ops;

/**
 * A job as operators see it over JMX: {@code io.caravan:type=Job,name=<job>}. Counts are those of the
 * current run, or of the last one once it has finished.
 */
public interface JobControlMBean {

    /** Starts a run; refused with a message when one is already going. Returns the run id. */
    String run();

    /** Starts a dry run: plan only, nothing written. */
    String dryRun();

    /** Workers finish the item in hand and wait. */
    String pause();

    String resume();

    /** Listing stops, queued items are dropped, in-flight items finish; the ledger stays consistent. */
    String stop();

    /** IDLE, RUNNING, PAUSED or STOPPING. */
    String getState();

    String getRunId();

    /** This instance's name ({@code caravan.instance}, else host name and process id): the counts are its own. */
    String getInstance();

    long getListed();

    long getPlanned();

    long getDone();

    long getSkipped();

    long getRejected();

    long getFailed();

    long getBytes();

    double getItemsPerSecond();

    double getBytesPerSecond();

    /** h:mm:ss left at the current rate, empty while listing goes on. */
    String getEta();

    /** The last reason an item did not move, a fatal error, or a broken edit of the job's route file. */
    String getLastError();

    /** The last finished run's report, as text. */
    String getLastReport();

    /** The last finished run's exit code (0 all done, 3 items not done, 2 stopped), -1 before the first run. */
    int getLastExitCode();
}
