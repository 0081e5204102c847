package io.caravan.job;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

import java.util.function.Consumer;

/** Connection pools to the databases a job's edges read or write. */
public final class Databases {

    private Databases() {
    }

    /** {@code <side>.jdbc-url}, {@code <side>.user}, {@code <side>.password}: one pool, a connection per worker. */
    public static HikariDataSource pool(JobSettings s, String side, int workers) {
        return pool(s, side, workers, config -> { });
    }

    /** The same pool, with what the caller needs of its connections set before it starts (read-only, say). */
    public static HikariDataSource pool(JobSettings s, String side, int workers, Consumer<HikariConfig> tuning) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(s.required(side + ".jdbc-url"));
        config.setUsername(s.string(side + ".user", null));
        config.setPassword(s.string(side + ".password", null));
        config.setMaximumPoolSize(workers + 2);
        config.setPoolName("caravan-" + side);
        config.setInitializationFailTimeout(-1); // check() says what is wrong, with the job's words
        tuning.accept(config);
        return new HikariDataSource(config);
    }
}
