package io.caravan.camel;

import io.caravan.item.JobFatalException;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What a source builds from its endpoint (a connection pool, an S3 client), in a Camel context of its own that is
 * started when the first body is needed: an unchanged rerun starts none. Closing stops what was built, then the
 * context.
 */
final class LazyEndpoint<T> implements AutoCloseable {

    private final String uri;
    private final Function<CamelContext, T> build;
    private final Consumer<T> closeBuilt;
    private volatile Opened<T> opened;

    private record Opened<T>(CamelContext camel, T built) {
    }

    LazyEndpoint(String uri, Function<CamelContext, T> build, Consumer<T> closeBuilt) {
        this.uri = uri;
        this.build = build;
        this.closeBuilt = closeBuilt;
    }

    T get() {
        Opened<T> o = opened;
        if (o == null) {
            synchronized (this) {
                o = opened;
                if (o == null) {
                    o = open();
                    opened = o;
                }
            }
        }
        return o.built();
    }

    private Opened<T> open() {
        CamelContext camel = new DefaultCamelContext();
        camel.disableJMX();
        camel.start();
        try {
            return new Opened<>(camel, build.apply(camel));
        } catch (RuntimeException e) {
            camel.stop();
            throw new JobFatalException("source.uri " + CamelUris.safe(uri) + " is not an endpoint Camel can read: "
                    + CamelErrors.rootMessage(e), e);
        }
    }

    @Override
    public void close() {
        Opened<T> o = opened;
        if (o != null) {
            closeBuilt.accept(o.built());
            o.camel().stop();
        }
    }
}
