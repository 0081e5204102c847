package io.caravan.pipeline;

import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.BeanRepository;
import org.apache.camel.support.DefaultRegistry;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;

/**
 * Resolves the bean name {@code <job>.workers}, which the {@code caravan-plan} Kamelet's splitter names, to the
 * job's worker pool. The job is opened on this first lookup, when its routes are created (at start, or when its
 * file appears or changes while serving), so routes re-created after new settings get the new pool.
 */
final class WorkerPools extends MainListenerSupport implements BeanRepository {

    private static final String SUFFIX = ".workers";

    private final Jobs jobs;

    WorkerPools(Jobs jobs) {
        this.jobs = jobs;
    }

    @Override
    public void beforeConfigure(BaseMainSupport main) {
        if (!(main.getCamelContext().getRegistry() instanceof DefaultRegistry registry)) {
            throw new IllegalStateException("Camel's registry is not a DefaultRegistry: cannot resolve worker pools");
        }
        registry.addBeanRepository(this);
    }

    @Override
    public Object lookupByName(String name) {
        return name.endsWith(SUFFIX) && name.length() > SUFFIX.length()
                ? jobs.obtain(name.substring(0, name.length() - SUFFIX.length())).workers()
                : null;
    }

    @Override
    public <T> T lookupByNameAndType(String name, Class<T> type) {
        Object bean = type.isAssignableFrom(ExecutorService.class) ? lookupByName(name) : null;
        return type.cast(bean);
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
