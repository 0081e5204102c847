package io.caravan.pipeline;

import io.caravan.job.JobSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.main.Main;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The broker of a {@code jms:} hand-off: ActiveMQ Artemis at {@code caravan.broker.url} ({@code tcp://host:61616},
 * Artemis client URL parameters allowed), as Camel's {@code jms} component, with {@code caravan.broker.user} and
 * {@code caravan.broker.password} when set. Unless the URL says otherwise, the client reconnects for as long as the
 * broker is away ({@code reconnectAttempts=-1}, every {@code retryInterval}, 2 s by default), so a broker restart
 * costs a pause, not the run; and each consumer takes one message at a time ({@code consumerWindowSize=0}: nothing
 * buffered on the client), so the instances share a queue evenly and a worker that dies holds back no more than the
 * items it was moving. Nothing is bound when the URL is empty.
 */
final class Brokers {

    /** Reconnect without end: the library's own failover, rather than a loop of ours. */
    static final int RECONNECT_FOREVER = -1;

    private Brokers() {
    }

    static void bind(Main main, JobSettings settings) {
        String url = settings.string("caravan.broker.url", "");
        if (url.isEmpty()) {
            return;
        }
        main.bind("jms", JmsComponent.jmsComponent(connectionFactory(url, settings)));
    }

    static CachingConnectionFactory connectionFactory(String url, JobSettings settings) {
        ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
        if (!url.contains("reconnectAttempts=")) {
            factory.setReconnectAttempts(RECONNECT_FOREVER);
        }
        if (!url.contains("consumerWindowSize=")) {
            factory.setConsumerWindowSize(0);
        }
        String user = settings.string("caravan.broker.user", "");
        if (!user.isEmpty()) {
            factory.setUser(user);
            factory.setPassword(settings.string("caravan.broker.password", ""));
        }
        // the plan's sends reuse sessions and producers instead of opening a connection per item
        CachingConnectionFactory caching = new CachingConnectionFactory(factory);
        caching.setSessionCacheSize(settings.integer("caravan.workers", 16));
        return caching;
    }
}
