package io.caravan.target;

import io.caravan.job.EdgeContext;
import io.caravan.job.EdgeType;
import io.caravan.job.JobSettings;
import io.caravan.source.FolderSource;
import io.caravan.source.ItemSource;

import java.nio.file.Path;
import java.util.List;

/** {@code folder}: {@code source.root} or {@code target.root}, relative to the home folder or absolute. */
public final class FolderEdgeType implements EdgeType {

    @Override
    public List<String> names() {
        return List.of("folder");
    }

    @Override
    public ItemSource source(String type, EdgeContext context) {
        return new FolderSource(context.home().resolve(context.settings().required("source.root")));
    }

    @Override
    public ItemTarget target(String type, EdgeContext context) {
        return target(context.home().resolve(context.settings().required("target.root")), context.settings());
    }

    /** A folder target with the job's {@code target.fsync} and {@code target.read-back}; Seafile's stores use it. */
    public static FolderTarget target(Path root, JobSettings s) {
        return new FolderTarget(root, s.flag("target.fsync", true), s.flag("target.read-back", true));
    }
}
