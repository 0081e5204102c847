package io.caravan.sql;

import io.caravan.item.JobFatalException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** What the SQL targets (PostgreSQL's COPY and plain JDBC) share about statements run on the target. */
final class TargetStatements {

    private TargetStatements() {
    }

    /** Runs one statement of the job's own (a table to create), failing the run with the statement named. */
    static void execute(DataSource db, String sql) {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new JobFatalException("cannot run on the target: " + sql + ": " + e.getMessage(), e);
        }
    }

    /**
     * Whether the target refused a row for what it holds (SQLSTATE class 22, a data exception, or 23, a constraint),
     * in the exception, the ones chained to it (a JDBC batch) or its cause: the chunk then goes row by row, so that
     * the refused rows are named and the rest commits. Anything else (a lost connection) is retried whole.
     */
    static boolean refusedRow(SQLException e) {
        for (SQLException x = e; x != null; x = x.getNextException()) {
            String state = x.getSQLState();
            if (state != null && (state.startsWith("23") || state.startsWith("22"))) {
                return true;
            }
        }
        Throwable cause = e.getCause();
        return cause instanceof SQLException s && s != e && refusedRow(s);
    }
}
