package io.caravan.camel;

import io.caravan.job.EdgeContext;
import io.caravan.job.EdgeType;
import io.caravan.target.ItemTarget;

import java.util.List;

/**
 * {@code camel}: any Camel endpoint. As a target: {@code target.uri}, a producer endpoint URI, and
 * {@code target.key-header} for a component whose item-naming header Caravan does not know.
 */
public final class CamelEdgeType implements EdgeType {

    @Override
    public List<String> names() {
        return List.of("camel");
    }

    @Override
    public ItemTarget target(String type, EdgeContext context) {
        return new CamelTarget(context.settings().required("target.uri"),
                context.settings().string("target.key-header", ""));
    }
}
