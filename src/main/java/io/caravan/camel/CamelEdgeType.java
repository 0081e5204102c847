package io.caravan.camel;

import io.caravan.job.EdgeContext;
import io.caravan.job.EdgeType;
import io.caravan.s3.S3EdgeType;
import io.caravan.source.ItemSource;
import io.caravan.target.ItemTarget;

import java.util.List;

/**
 * {@code camel}: any Camel endpoint. As a source: {@code source.uri}, a consumer endpoint URI, with
 * {@code source.key} and {@code source.fingerprint}, Simple expressions of an item's key and of what reveals a
 * change. A {@code sql:}, {@code jdbc:} or {@code http(s):} source is read as records ({@link CamelRecordSource}),
 * any other as files ({@link CamelSource}). As a target: {@code target.uri}, a producer endpoint URI, and
 * {@code target.key-header} for a component whose item-naming header Caravan does not know.
 */
public final class CamelEdgeType implements EdgeType {

    @Override
    public List<String> names() {
        return List.of("camel");
    }

    @Override
    public ItemSource source(String type, EdgeContext context) {
        String uri = context.settings().required("source.uri");
        if (CamelRecordSource.reads(CamelUris.scheme(uri))) {
            return CamelRecordSource.of(uri, context);
        }
        return new CamelSource(context.settings().required("source.uri"), context.settings().string("source.key", ""),
                context.settings().string("source.fingerprint", ""),
                context.settings().integer("caravan.queue-size", 1000),
                context.settings().integer("caravan.workers", 16));
    }

    @Override
    public ItemTarget target(String type, EdgeContext context) {
        return new CamelTarget(context.settings().required("target.uri"),
                context.settings().string("target.key-header", ""),
                S3EdgeType.settings(context.settings(), "target", context.workers()));
    }
}
