package io.caravan.pipeline;

import io.caravan.job.Job;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesFunction;

/**
 * The placeholders by which the Kamelets name a job's hand-off: {@code {{caravan-handoff:<job>}}}, where the plan
 * sends each item, and {@code {{caravan-intake:<job>}}}, what the transfer consumes (see {@link HandOff}). Both are
 * {@code direct:<job>.transfer} unless the job's {@code caravan.handoff} names a broker queue.
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

    /** Registers the two placeholders with a Camel that was not built by {@link CaravanCamel} (route tests). */
    public static void register(CamelContext camel, Jobs jobs) {
        HandOffFunctions functions = new HandOffFunctions(jobs);
        camel.getPropertiesComponent().addPropertiesFunction(functions.new Function("caravan-handoff", false));
        camel.getPropertiesComponent().addPropertiesFunction(functions.new Function("caravan-intake", true));
    }

    private final class Function implements PropertiesFunction {

        private final String name;
        private final boolean intake;

        Function(String name, boolean intake) {
            this.name = name;
            this.intake = intake;
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public String apply(String jobName) {
            Job job = jobs.obtain(jobName.trim());
            HandOff handOff = HandOff.of(job.settings());
            return intake ? handOff.intakeUri(job.name(), job.settings().flag(HandOff.WORKER, false),
                    job.settings().integer("caravan.workers", 16)) : handOff.publishUri(job.name());
        }
    }
}
