package io.caravan.ckan;

import io.caravan.job.EdgeContext;
import io.caravan.job.EdgeType;
import io.caravan.source.ItemSource;
import io.caravan.target.ItemTarget;

import java.util.List;

/**
 * {@code ckan} (a live portal, through the Action API) and {@code ckan-jsonl} (a ckanapi dump): see
 * {@link CkanEdges}.
 */
public final class CkanEdgeType implements EdgeType {

    @Override
    public List<String> names() {
        return List.of("ckan", "ckan-jsonl");
    }

    @Override
    public ItemSource source(String type, EdgeContext context) {
        return CkanEdges.source(context.home(), context.settings(), context.ledger(), context.workers(),
                context::scope);
    }

    @Override
    public ItemTarget target(String type, EdgeContext context) {
        return CkanEdges.target(context.home(), context.settings(), context.workers(), context.source(),
                context.ledger(), context::scope);
    }
}
