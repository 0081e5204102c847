package io.caravan.ckanfiles;

import io.caravan.job.Databases;
import io.caravan.job.EdgeContext;
import io.caravan.job.EdgeType;
import io.caravan.source.ItemSource;

import java.util.List;

/** {@code ckan-storage}, a source only: CKAN's stored files, into any target; see {@link CkanStorageEdges}. */
public final class CkanStorageEdgeType implements EdgeType {

    @Override
    public List<String> names() {
        return List.of("ckan-storage");
    }

    @Override
    public ItemSource source(String type, EdgeContext context) {
        return CkanStorageEdges.source(context.home(), context.dataDir(), context.settings(), context.ledger(),
                Databases.pool(context.settings(), "source", context.workers()));
    }
}
