package io.caravan.pipeline;

import io.caravan.job.Job;
import org.apache.camel.RouteTemplateContext;
import org.apache.camel.builder.RouteBuilder;

/**
 * The pipeline as route templates, which a job's YAML file instantiates with its name:
 * {@code caravan-plan} (list → plan, as {@code <job>.plan}) and {@code caravan-transfer}
 * (transfer → record, as {@code <job>.transfer}). Both use the shared error handling of {@link ErrorHandling}.
 */
public final class PipelineRoutes extends RouteBuilder {

    /** The stages are beans too, so a job's YAML can wire them itself around steps of its own. */
    public static final String STAGE_LIST = "#caravanList";
    public static final String STAGE_PLAN = "#caravanPlan";
    public static final String STAGE_TRANSFER = "#caravanTransfer";
    public static final String STAGE_RECORD = "#caravanRecord";

    private final Jobs jobs;

    public PipelineRoutes(Jobs jobs) {
        this.jobs = jobs;
    }

    /** Binds the stage beans the templates and hand-written job routes refer to. */
    public static void bindStages(org.apache.camel.main.Main main, Jobs jobs) {
        main.bind(STAGE_LIST.substring(1), new ListStage(jobs));
        main.bind(STAGE_PLAN.substring(1), new PlanStage(jobs));
        main.bind(STAGE_TRANSFER.substring(1), new TransferStage(jobs));
        main.bind(STAGE_RECORD.substring(1), new RecordStage(jobs));
    }

    @Override
    public void configure() {
        routeTemplate("caravan-plan")
                .templateParameter("job", null, "the job's name; its settings are config/jobs/<job>.properties")
                .configure(this::bindWorkers)
                .from("direct:{{job}}.run")
                    .routeConfigurationId(ErrorHandling.ID)
                    .setProperty(CaravanHeaders.JOB, constant("{{job}}"))
                    .process(STAGE_LIST)
                    .split(body()).streaming().parallelProcessing().executorService("{{job}}.workers")
                        .process(STAGE_PLAN)
                        .filter(exchangeProperty(CaravanHeaders.TRANSFER))
                            .to("direct:{{job}}.transfer")
                    .end();

        routeTemplate("caravan-transfer")
                .templateParameter("job")
                .from("direct:{{job}}.transfer")
                    .routeConfigurationId(ErrorHandling.ID)
                    .process(STAGE_TRANSFER)
                    .process(STAGE_RECORD);
    }

    /** Opens the job when its route file is loaded (at start or on a hot reload) and binds its worker pool. */
    private void bindWorkers(RouteTemplateContext template) {
        Job job = jobs.obtain(template.getProperty("job", String.class));
        template.getCamelContext().getRegistry().bind(job.name() + ".workers", job.workers());
    }
}
