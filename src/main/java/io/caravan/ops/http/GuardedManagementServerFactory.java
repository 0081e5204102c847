package io.caravan.ops.http;

import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.Service;
import org.apache.camel.component.platform.http.main.DefaultMainHttpServerFactory;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.apache.camel.component.platform.http.vertx.auth.AuthenticationConfig;
import org.apache.camel.main.HttpManagementServerConfigurationProperties;

import java.util.function.Supplier;

/**
 * Camel's management server, with {@link ControlAccess}'s handlers in front of metrics and Jolokia. They go in
 * through the server's authentication config, which Camel installs on the router before the port listens, so no
 * request ever reaches Jolokia unchecked. Camel's own basic-auth configurer would only authenticate (and only
 * from a Vert.x properties file); the read-only role needs a check after it, hence these entries.
 */
final class GuardedManagementServerFactory extends DefaultMainHttpServerFactory {

    /** Where camel-micrometer-prometheus serves the scrape. */
    private static final String METRICS_PATH = "/observe/metrics";

    private final ControlAccess access;

    GuardedManagementServerFactory(ControlAccess access) {
        this.access = access;
    }

    @Override
    public Service newHttpManagementServer(CamelContext camelContext,
                                           HttpManagementServerConfigurationProperties configuration) {
        Service service = super.newHttpManagementServer(camelContext, configuration);
        AuthenticationConfig auth = ((ManagementHttpServer) service).getConfiguration().getAuthenticationConfig();
        String jolokia = configuration.getJolokiaPath();
        // same path, so Camel keeps this order: who is it, read the body, may they write
        auth.getEntries().add(new HandlerEntry(jolokia + "*", access::authentication));
        auth.getEntries().add(new HandlerEntry(jolokia + "*", () -> BodyHandler.create(false)));
        auth.getEntries().add(new HandlerEntry(jolokia + "*", () -> new JolokiaWriteGuard(jolokia)));
        auth.getEntries().add(new HandlerEntry(METRICS_PATH + "*", access::authentication));
        auth.setEnabled(true);
        return service;
    }

    /** An entry that installs any handler, not only an authentication provider's. */
    private static final class HandlerEntry extends AuthenticationConfig.AuthenticationConfigEntry {
        private final Supplier<Handler<RoutingContext>> handler;

        HandlerEntry(String path, Supplier<Handler<RoutingContext>> handler) {
            this.handler = handler;
            setPath(path);
        }

        @Override
        public Handler<RoutingContext> createAuthenticationHandler(Vertx vertx) {
            return handler.get();
        }
    }
}
