package io.caravan.ops;

import io.caravan.job.JobSettings;
import io.caravan.ops.http.ControlAccess;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Health, Prometheus metrics and Jolokia under {@code /observe}, on Camel's management HTTP server. */
final class ObserveHttp {

    private static final Logger LOG = LoggerFactory.getLogger(ObserveHttp.class);

    private ObserveHttp() {
    }

    /** {@code caravan.http.host}: loopback unless an operator opens it. */
    static String host(JobSettings settings) {
        return settings.string("caravan.http.host", "127.0.0.1");
    }

    /** @param access who may read metrics and Jolokia off loopback, or null on loopback without a guard */
    static void expose(Main main, String host, int port, ControlAccess access) {
        main.addOverrideProperty("camel.management.enabled", "true");
        main.addOverrideProperty("camel.management.host", host);
        main.addOverrideProperty("camel.management.port", Integer.toString(port));
        main.addOverrideProperty("camel.management.healthCheckEnabled", "true");
        main.addOverrideProperty("camel.management.metricsEnabled", "true");
        main.addOverrideProperty("camel.management.jolokiaEnabled", "true");
        main.addOverrideProperty("camel.health.enabled", "true");
        main.addOverrideProperty("camel.metrics.enabled", "true");
        if (access != null) {
            main.bind("caravanManagementServerFactory", access.serverFactory());
            LOG.info("HTTP on {}: metrics and Jolokia need credentials", host);
        }
    }
}
