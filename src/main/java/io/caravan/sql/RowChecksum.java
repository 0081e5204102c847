package io.caravan.sql;

import io.caravan.item.JobFatalException;

import javax.sql.DataSource;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.stream.Collectors;

import io.caravan.target.Md5;

/**
 * A table's row count and order-independent checksum computed in Caravan, for two different databases: each value
 * in its canonical text ({@link PgValues#canonical}), a row's MD5, and the sum of their first 64 bits. Streamed.
 */
final class RowChecksum {

    private RowChecksum() {
    }

    /** @param from the table's name as this database knows it (quoted, qualified) */
    static TableChecksum of(DataSource db, Table table, String from, Dialect dialect) {
        String columns = table.columns().stream().map(c -> dialect == null ? Table.quote(c.name())
                : dialect.quote(c.name())).collect(Collectors.joining(", "));
        BigInteger sum = BigInteger.ZERO;
        long rows = 0;
        MessageDigest md5 = Md5.newDigest();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false); // PostgreSQL streams with a cursor only in a transaction
            try (PreparedStatement ps = c.prepareStatement("SELECT " + columns + " FROM " + from)) {
                ps.setFetchSize(1000);
                try (ResultSet rs = ps.executeQuery()) {
                    StringBuilder row = new StringBuilder();
                    while (rs.next()) {
                        row.setLength(0);
                        for (int i = 0; i < table.columns().size(); i++) {
                            row.append(i == 0 ? "" : "\t").append(PgValues.canonical(rs, i + 1,
                                    table.columns().get(i).type()));
                        }
                        byte[] digest = md5.digest(row.toString().getBytes(StandardCharsets.UTF_8));
                        sum = sum.add(BigInteger.valueOf(ByteBuffer.wrap(digest).getLong()));
                        rows++;
                    }
                }
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new JobFatalException("cannot checksum " + from + ": " + e.getMessage(), e);
        }
        return new TableChecksum(rows, sum.toString());
    }
}
