package io.caravan.pipeline;

import org.apache.camel.main.Main;

import java.util.LinkedHashMap;
import java.util.Map;

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
    public static final String PUBLISH_REST = "caravanPublishRest";
    public static final String RECEIVE = "caravanReceive";

    private PipelineStages() {
    }

    /** The stage beans by name, for a registry. */
    public static Map<String, Object> stages(Jobs jobs) {
        Map<String, Object> stages = new LinkedHashMap<>();
        stages.put(LIST, new ListStage(jobs));
        stages.put(PLAN, new PlanStage(jobs));
        stages.put(TRANSFER, new TransferStage(jobs));
        stages.put(RECORD, new RecordStage(jobs));
        PublishStage publish = new PublishStage(jobs, new WorkBatches());
        stages.put(PUBLISH, publish);
        stages.put(PUBLISH_REST, publish.rest());
        stages.put(RECEIVE, new ReceiveStage(jobs));
        return stages;
    }

    /**
     * Binds the stage beans, and resolves {@code <job>.workers} to that job's worker pool and {@code ledger} to
     * {@code ledgerJob}'s ledger (none when null).
     */
    public static void bind(Main main, Jobs jobs, String ledgerJob) {
        stages(jobs).forEach(main::bind);
        main.addMainListener(new HandOffFunctions(jobs));
        main.addMainListener(new JobBeans(jobs, ledgerJob));
    }
}
