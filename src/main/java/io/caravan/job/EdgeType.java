package io.caravan.job;

import io.caravan.source.ItemSource;
import io.caravan.target.ItemTarget;

import java.util.List;

/**
 * A kind of source or target a job can name in {@code source.type} or {@code target.type}, and how to build it from
 * the job's settings. Each pack registers its own in {@code META-INF/services/io.caravan.job.EdgeType}, as Camel's
 * components register their URI schemes: the engine names no pack, and a pack's package can be taken out whole.
 */
public interface EdgeType {

    /** The type names this builds ({@code ckan} and {@code ckan-jsonl}, say). */
    List<String> names();

    /** Builds the source named {@code type}; a type that is a target only keeps this default. */
    default ItemSource source(String type, EdgeContext context) {
        throw new ConfigException("source.type '" + type + "' is a target only");
    }

    /** Builds the target named {@code type}; a type that is a source only keeps this default. */
    default ItemTarget target(String type, EdgeContext context) {
        throw new ConfigException("target.type '" + type + "' is a source only");
    }
}
