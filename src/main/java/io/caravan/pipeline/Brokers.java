package io.caravan.pipeline;

import io.caravan.job.JobSettings;
import org.apache.activemq.ActiveMQConnectionFactory;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.main.Main;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The broker of a {@code jms:} hand-off: ActiveMQ Classic at {@code caravan.broker.url}
 * ({@code tcp://host:61616}), as Camel's {@code jms} component. Each consumer takes one message at a time
 * ({@code caravan.broker.prefetch}, default 1), so the instances share a queue evenly and a worker that dies holds
 * back no more than the items it was moving. Nothing is bound when the URL is empty.
 */
final class Brokers {

    private Brokers() {
    }

    static void bind(Main main, JobSettings settings) {
        String url = settings.string("caravan.broker.url", "");
        if (url.isEmpty()) {
            return;
        }
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
        String user = settings.string("caravan.broker.user", "");
        if (!user.isEmpty()) {
            factory.setUserName(user);
            factory.setPassword(settings.string("caravan.broker.password", ""));
        }
        factory.getPrefetchPolicy().setQueuePrefetch(settings.integer("caravan.broker.prefetch", 1));
        // the plan's sends reuse sessions and producers instead of opening a connection per item
        CachingConnectionFactory caching = new CachingConnectionFactory(factory);
        caching.setSessionCacheSize(settings.integer("caravan.workers", 16));
        main.bind("jms", JmsComponent.jmsComponent(caching));
    }
}
