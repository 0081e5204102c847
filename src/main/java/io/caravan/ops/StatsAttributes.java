package io.caravan.ops;

import io.caravan.job.JobStats;

/** The counting attributes that a job's MBean and a worker's share: read from the run's {@link JobStats}. */
abstract class StatsAttributes {

    abstract JobStats stats();

    public long getDone() {
        return stats().done();
    }

    public long getRejected() {
        return stats().rejected();
    }

    public long getFailed() {
        return stats().failed();
    }

    public long getBytes() {
        return stats().bytesDone();
    }

    public double getItemsPerSecond() {
        return stats().itemsPerSecond();
    }

    public double getBytesPerSecond() {
        return stats().bytesPerSecond();
    }
}
