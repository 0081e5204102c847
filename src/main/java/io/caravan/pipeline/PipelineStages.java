package io.caravan.pipeline;

import org.apache.camel.main.Main;

/**
 * The pipeline's stages as beans. The Kamelets {@code caravan-plan} and {@code caravan-transfer} in
 * {@code routes/kamelets/} wire them (list → plan as {@code <job>.plan}, transfer → record as
 * {@code <job>.transfer}); a job's own YAML can wire them around steps of its own.
 */
public final class PipelineStages {

    public static final String LIST = "caravanList";
    public static final String PLAN = "caravanPlan";
    public static final String TRANSFER = "caravanTransfer";
    public static final String RECORD = "caravanRecord";
    public static final String PUBLISH = "caravanPublish";
    public static final String RECEIVE = "caravanReceive";

    private PipelineStages() {
    }

    /**
     * Binds the stage beans, and resolves {@code <job>.workers} to that job's worker pool and {@code ledger} to
     * {@code ledgerJob}'s ledger (none when null).
     */
    public static void bind(Main main, Jobs jobs, String ledgerJob) {
        main.bind(LIST, new ListStage(jobs));
        main.bind(PLAN, new PlanStage(jobs));
        main.bind(TRANSFER, new TransferStage(jobs));
        main.bind(RECORD, new RecordStage(jobs));
        main.bind(PUBLISH, new PublishStage(jobs));
        main.bind(RECEIVE, new ReceiveStage(jobs));
        main.addMainListener(new HandOffFunctions(jobs));
        main.addMainListener(new JobBeans(jobs, ledgerJob));
    }
}
