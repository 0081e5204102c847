package io.caravan.silverstripe;

import io.caravan.job.EdgeContext;
import io.caravan.job.EdgeType;
import io.caravan.source.ItemSource;
import io.caravan.target.ItemTarget;

import java.util.List;

/** {@code silverstripe}, as source and target at once: a site upgraded in place; see {@link SilverStripeEdges}. */
public final class SilverStripeEdgeType implements EdgeType {

    @Override
    public List<String> names() {
        return List.of("silverstripe");
    }

    @Override
    public ItemSource source(String type, EdgeContext context) {
        return SilverStripeEdges.source(context.home(), context.settings(), context.workers());
    }

    @Override
    public ItemTarget target(String type, EdgeContext context) {
        return SilverStripeEdges.target(context.source());
    }
}
