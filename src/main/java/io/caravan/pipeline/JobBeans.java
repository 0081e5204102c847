package io.caravan.pipeline;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.BeanRepository;
import org.apache.camel.support.DefaultRegistry;

import java.util.Map;
import java.util.Set;

/**
 * The beans that come from a job, looked up when a route names them: {@code <job>.workers}, which the
 * {@code caravan-plan} Kamelet's splitter names, is the job's worker pool, and {@code ledger}, when Camel runs one
 * job, is that job's ledger as an {@code IdempotentRepository}. The job is opened on the first lookup, when its routes
 * are created (at start, or when its file appears or changes while serving), so routes re-created after new settings
 * get the new pool; {@code caravan run} starts Camel while it opens the job, and a lookup waits for it.
 */
final class JobBeans extends MainListenerSupport implements BeanRepository {

    private static final String WORKERS = ".workers";
    private static final String LEDGER = "ledger";

    private final Jobs jobs;
    private final String ledgerJob;

    /** @param ledgerJob the job whose ledger the bean {@code ledger} is, or null for none */
    JobBeans(Jobs jobs, String ledgerJob) {
        this.jobs = jobs;
        this.ledgerJob = ledgerJob;
    }

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        if (!(main.getCamelContext().getRegistry() instanceof DefaultRegistry registry)) {
            throw new IllegalStateException("Camel's registry is not a DefaultRegistry: cannot resolve job beans");
        }
        registry.addBeanRepository(this);
    }

    @Override
    public Object lookupByName(String name) {
        if (name.endsWith(WORKERS) && name.length() > WORKERS.length()) {
            return jobs.obtain(name.substring(0, name.length() - WORKERS.length())).workers();
        }
        return LEDGER.equals(name) && ledgerJob != null ? jobs.obtain(ledgerJob).ledgerRepository() : null;
    }

    @Override
    public <T> T lookupByNameAndType(String name, Class<T> type) {
        Object bean = lookupByName(name);
        return type.isInstance(bean) ? type.cast(bean) : null;
    }

    @Override
    public <T> Map<String, T> findByTypeWithName(Class<T> type) {
        return Map.of();
    }

    @Override
    public <T> Set<T> findByType(Class<T> type) {
        return Set.of();
    }
}
