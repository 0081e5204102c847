package io.caravan.seafile;

import io.caravan.job.EdgeContext;
import io.caravan.job.EdgeType;
import io.caravan.job.JobSettings;
import io.caravan.s3.S3Clients;
import io.caravan.s3.S3EdgeType;
import io.caravan.source.ItemSource;
import io.caravan.target.FolderEdgeType;
import io.caravan.target.ItemTarget;
import io.caravan.transfer.BufferBudget;

import java.util.List;
import java.util.Map;

/**
 * {@code seafile}: {@code <side>.conf}, a seafile.conf naming each object type's backend, and
 * {@code <side>.seafile-data}, the seafile-data folder it goes with (for filesystem backends).
 */
public final class SeafileEdgeType implements EdgeType {

    @Override
    public List<String> names() {
        return List.of("seafile");
    }

    @Override
    public ItemSource source(String type, EdgeContext context) {
        return new SeafileSource(backends(context, "source"));
    }

    @Override
    public ItemTarget target(String type, EdgeContext context) {
        JobSettings s = context.settings();
        BufferBudget budget = context.budget(); // one budget for the three stores
        return new SeafileTarget(backends(context, "target"), backend -> backend instanceof Backend.Bucket b
                ? S3EdgeType.target(() -> S3Clients.create(b.s3()), b.s3().endpoint(), b.bucket(), s, budget)
                : FolderEdgeType.target(((Backend.Folder) backend).folder(), s));
    }

    private static Map<ObjectType, Backend> backends(EdgeContext context, String side) {
        JobSettings s = context.settings();
        String data = s.string(side + ".seafile-data", "");
        return SeafileConf.read(context.home().resolve(s.required(side + ".conf")),
                data.isEmpty() ? null : context.home().resolve(data), context.workers() * 2);
    }
}
