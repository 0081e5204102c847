package io.caravan.pipeline;

/** Names of the exchange properties the pipeline stages pass to each other. One prefix, one place. */
public final class CaravanHeaders {

    /** A Runnable the ledger runs once the item's row is committed: the run counts the item done only then. */
    public static final String ON_RECORDED = "CaravanOnRecorded";

    public static final String JOB = "CaravanJob";
    public static final String DECISION = "CaravanDecision";
    public static final String TARGET_KEY = "CaravanTargetKey";
    public static final String FINGERPRINT = "CaravanFingerprint";
    public static final String CHECKSUM = "CaravanChecksum";
    public static final String BYTES = "CaravanBytes";
    public static final String VERIFIED = "CaravanVerified";
    /** Set with {@link #VERIFIED} when the write ended but the target could not confirm what it stored. */
    public static final String UNVERIFIED = "CaravanUnverified";
    /** What the target did with the item ("created", "updated"...), for the report's counts. */
    public static final String OUTCOME = "CaravanOutcome";
    /** True when the plan sends the item on to transfer (new or changed, and not a dry run). */
    public static final String TRANSFER = "CaravanTransfer";
    /** True when the exchange goes on to the hand-off: always with {@code direct}, with a full batch otherwise. */
    public static final String PUBLISH = "CaravanPublish";
    /** The {@link WorkMessage}s of the batch an exchange carries to the broker (or took from it, on a worker). */
    public static final String BATCH = "CaravanBatch";
    /** On a worker: the ledger's rows of a batch's keys, looked up once for the batch. */
    public static final String BATCH_ENTRIES = "CaravanBatchEntries";
    /** On a worker: the ledger rows of a broker message's items ({@link BatchCommits}), awaited at its end. */
    public static final String BATCH_COMMITS = "CaravanBatchCommits";
    /** The run that published the item through a broker hand-off; absent when the run transfers it itself. */
    public static final String RUN_ID = "CaravanRunId";
    /** The instance that transfers an item from a broker hand-off, for its ledger row. */
    public static final String WORKER = "CaravanWorker";
    /** Set by the receive stage when the ledger already has a redelivered item done: transfer skips it. */
    public static final String ALREADY_DONE = "CaravanAlreadyDone";
    /** {@link System#nanoTime()} when the transfer's first attempt began: the report's slowest items. */
    public static final String STARTED = "CaravanStarted";

    private CaravanHeaders() {
    }
}
