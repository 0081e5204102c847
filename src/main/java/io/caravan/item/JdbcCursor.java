package io.caravan.item;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A query's rows read lazily through a database cursor, so a listing of any size streams: the connection stays in a
 * read-only transaction (PostgreSQL streams with a fetch size only inside one) until the iterator is closed.
 */
public final class JdbcCursor {

    private static final int FETCH_SIZE = 1000;

    private JdbcCursor() {
    }

    /** Maps one row; a null result skips the row. */
    @FunctionalInterface
    public interface RowMapper<T> {
        T map(ResultSet rs) throws SQLException;
    }

    /**
     * @param what what is being read, for the error: {@code "reading <what>: <the driver's message>"}, job-fatal
     */
    public static <T> CloseableIterator<T> stream(DataSource db, String what, String sql, RowMapper<T> mapper,
                                                  Object... params) {
        try {
            Connection c = db.getConnection();
            try {
                c.setAutoCommit(false);
                PreparedStatement ps = c.prepareStatement(sql);
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                ps.setFetchSize(FETCH_SIZE);
                return new Rows<>(c, ps.executeQuery(), mapper, what);
            } catch (SQLException | RuntimeException e) {
                c.close();
                throw e;
            }
        } catch (SQLException e) {
            throw new JobFatalException("reading " + what + ": " + e.getMessage() + " (" + sql + ")", e);
        }
    }

    private static final class Rows<T> extends LookaheadIterator<T> {
        private final Connection connection;
        private final ResultSet rs;
        private final RowMapper<T> mapper;
        private final String what;

        Rows(Connection connection, ResultSet rs, RowMapper<T> mapper, String what) {
            this.connection = connection;
            this.rs = rs;
            this.mapper = mapper;
            this.what = what;
        }

        @Override
        protected T advance() {
            try {
                while (rs.next()) {
                    T mapped = mapper.map(rs);
                    if (mapped != null) {
                        return mapped;
                    }
                }
                return null;
            } catch (SQLException e) {
                throw new JobFatalException("reading " + what + ": " + e.getMessage(), e);
            }
        }

        @Override
        public void close() {
            try (connection) {
                connection.rollback();
            } catch (SQLException ignored) {
                // read only: nothing to undo
            }
        }
    }
}
