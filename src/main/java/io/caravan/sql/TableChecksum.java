package io.caravan.sql;

import io.caravan.item.JobFatalException;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A table's row count and an order-independent checksum: the sum of the first 64 bits of each row's MD5 (over its
 * text form), computed by the database. Equal on both sides means the same rows, whatever their physical order.
 */
record TableChecksum(long rows, String digest) {

    static TableChecksum of(DataSource db, Table table) {
        String sql = "SELECT count(*), coalesce(sum(('x' || substr(md5(CAST(t AS text)), 1, 16))::bit(64)::bigint"
                + "::numeric), 0) FROM " + table.qualified() + " t";
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return new TableChecksum(rs.getLong(1), rs.getBigDecimal(2).toPlainString());
        } catch (SQLException e) {
            throw new JobFatalException("cannot checksum " + table.qualified() + ": " + e.getMessage(), e);
        }
    }
}
