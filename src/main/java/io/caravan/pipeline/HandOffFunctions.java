package io.caravan.pipeline;

import io.caravan.job.Job;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesFunction;

/**
 * The placeholder by which the {@code caravan-plan} Kamelet names a job's hand-off, {@code {{caravan-handoff:<job>}}}:
 * where the plan sends each item, {@code direct:<job>.transfer} unless the job's {@code caravan.handoff} names a
 * broker queue (see {@link HandOff}). On a worker, {@link WorkIntake} takes the queue's batches to the transfer.
 */
public final class HandOffFunctions extends MainListenerSupport {

    private final Jobs jobs;

    HandOffFunctions(Jobs jobs) {
        this.jobs = jobs;
    }

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        register(main.getCamelContext(), jobs);
    }

    /** Registers the placeholder with a Camel that was not built by {@link CaravanCamel} (route tests). */
    public static void register(CamelContext camel, Jobs jobs) {
        camel.getPropertiesComponent().addPropertiesFunction(new HandOffFunctions(jobs).new Function());
    }

    private final class Function implements PropertiesFunction {

        @Override
        public String getName() {
            return "caravan-handoff";
        }

        @Override
        public String apply(String jobName) {
            Job job = jobs.obtain(jobName.trim());
            return HandOff.of(job.settings()).publishUri(job.name());
        }
    }
}
