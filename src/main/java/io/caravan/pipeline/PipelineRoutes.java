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

    private final Jobs jobs;

    public PipelineRoutes(Jobs jobs) {
        this.jobs = jobs;
    }

    @Override
    public void configure() {
        routeTemplate("caravan-plan")
                .templateParameter("job", null, "the job's name; its settings are config/jobs/<job>.properties")
                .configure(this::bindWorkers)
                .from("direct:{{job}}.run")
                    .routeConfigurationId(ErrorHandling.ID)
                    .setProperty(CaravanHeaders.JOB, constant("{{job}}"))
                    .process(new ListStage(jobs))
                    .split(body()).streaming().parallelProcessing().executorService("{{job}}.workers")
                        .process(new PlanStage(jobs))
                        .filter(exchangeProperty(CaravanHeaders.TRANSFER))
                            .to("direct:{{job}}.transfer")
                    .end();

        routeTemplate("caravan-transfer")
                .templateParameter("job")
                .from("direct:{{job}}.transfer")
                    .routeConfigurationId(ErrorHandling.ID)
                    .process(new TransferStage(jobs))
                    .process(new RecordStage(jobs));
    }

    /** Opens the job when its route file is loaded (at start or on a hot reload) and binds its worker pool. */
    private void bindWorkers(RouteTemplateContext template) {
        Job job = jobs.obtain(template.getProperty("job", String.class));
        template.getCamelContext().getRegistry().bind(job.name() + ".workers", job.workers());
    }
}
