package io.caravan.testing;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * Embedded PostgreSQL on a port found on 127.0.0.1. Left to itself, the builder finds its port with
 * {@code new ServerSocket(0)}, which binds the wildcard address for a moment before the server starts.
 */
public final class LoopbackPostgres {

    private LoopbackPostgres() {
    }

    public static EmbeddedPostgres.Builder builder() {
        return EmbeddedPostgres.builder().setPort(LoopbackPorts.free());
    }
}
