package io.caravan.sql;

import io.caravan.item.JobFatalException;
import io.caravan.job.JobRun;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/** SQL scripts run in the target before or after the copy, each in a transaction, each outcome in the report. */
final class SqlScripts {

    private SqlScripts() {
    }

    static void run(DataSource db, JobRun run, String when, List<Path> scripts) {
        for (Path script : scripts) {
            long started = System.nanoTime();
            String sql;
            try {
                sql = Files.readString(script);
            } catch (IOException e) {
                throw new JobFatalException("cannot read the " + when + "-script " + script + ": " + e.getMessage(), e);
            }
            try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                try {
                    s.execute(sql);
                    int changed = Math.max(0, s.getUpdateCount());
                    c.commit();
                    run.addStep(String.format("%s-script %s: committed in %.1f s%s", when, script.getFileName(),
                            (System.nanoTime() - started) / 1e9, changed > 0 ? " (" + changed + " rows)" : ""));
                } catch (SQLException e) {
                    c.rollback();
                    run.addStep(when + "-script " + script.getFileName() + ": FAILED, rolled back: " + e.getMessage());
                    throw new JobFatalException(when + "-script " + script + " failed and was rolled back: "
                            + e.getMessage(), e);
                }
            } catch (SQLException e) {
                throw new JobFatalException("cannot run " + script + ": " + e.getMessage(), e);
            }
        }
    }
}
