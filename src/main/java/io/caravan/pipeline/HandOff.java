package io.caravan.pipeline;

import io.caravan.job.JobSettings;

/**
 * Where a job's plan hands its items to its transfer ({@code caravan.handoff}). {@code direct} (the default): in this
 * process, the exchange itself goes on to {@code direct:<job>.transfer}. Otherwise a Camel endpoint URI of a broker
 * queue, {@code {job}} standing for the job's name ({@code jms:queue:caravan.{job}}): the plan publishes a
 * {@link WorkMessage} per item, and the instances started with {@code caravan work} consume the queue, transfer and
 * record into the shared ledger.
 */
public record HandOff(String uri) {

    public static final String SETTING = "caravan.handoff";
    public static final String DIRECT = "direct";
    /** Set by {@code caravan work}: this instance consumes the hand-off queue. */
    public static final String WORKER = "caravan.worker";

    /** This instance's name in the ledger rows it writes: {@code caravan.instance}, else host name and process id. */
    public static String instance(JobSettings settings) {
        String name = settings.string("caravan.instance", "");
        return name.isEmpty() ? DEFAULT_INSTANCE : name;
    }

    private static final String DEFAULT_INSTANCE = defaultInstance();

    private static String defaultInstance() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "localhost";
        }
        return host + "-" + ProcessHandle.current().pid();
    }

    public static HandOff of(JobSettings settings) {
        return new HandOff(settings.string(SETTING, DIRECT).trim());
    }

    public boolean isBroker() {
        return !uri.isEmpty() && !uri.equals(DIRECT);
    }

    /** The endpoint the plan sends each item to. */
    public String publishUri(String job) {
        return isBroker() ? uri.replace("{job}", job) : direct(job);
    }

    /**
     * The queue as a worker consumes it ({@link WorkIntake}): one consumer per worker thread, and a message
     * acknowledged only once its exchange is done, after the rows of its items are committed (see
     * {@link RecordStage}).
     */
    public String consumeUri(String job, int workers) {
        String queue = publishUri(job);
        if (!queue.startsWith("jms:")) {
            return queue;
        }
        StringBuilder b = new StringBuilder(queue).append(queue.contains("?") ? '&' : '?');
        if (!queue.contains("acknowledgementModeName=")) {
            b.append("acknowledgementModeName=CLIENT_ACKNOWLEDGE&");
        }
        if (!queue.contains("concurrentConsumers=")) {
            b.append("concurrentConsumers=").append(workers).append("&maxConcurrentConsumers=").append(workers)
                    .append('&');
        }
        return b.substring(0, b.length() - 1);
    }

    private static String direct(String job) {
        return "direct:" + job + ".transfer";
    }
}
