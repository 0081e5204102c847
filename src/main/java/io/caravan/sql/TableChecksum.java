package io.caravan.sql;

import io.caravan.item.JobFatalException;
import io.caravan.verify.Difference;
import io.caravan.verify.VerifyResult;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Collection;
import java.util.function.Consumer;
import java.util.function.Function;

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

    /**
     * Each of the source's tables against the target's: missing there, equal, or differing with both sides' counts
     * and checksums.
     *
     * @param atTarget null for a table the target does not have
     */
    static VerifyResult verify(Collection<Table> tables, Function<Table, TableChecksum> atSource,
                               Function<Table, TableChecksum> atTarget, Consumer<Difference> onDifference) {
        VerifyResult result = new VerifyResult();
        for (Table table : tables) {
            TableChecksum target = atTarget.apply(table);
            Difference d;
            if (target == null) {
                d = new Difference(Difference.Kind.MISSING, table.name(), "no such table at the target");
            } else {
                TableChecksum source = atSource.apply(table);
                d = source.equals(target) ? new Difference(Difference.Kind.MATCH, table.name(), "")
                        : new Difference(Difference.Kind.DIFFER, table.name(), "source " + source.rows + " rows, "
                        + "checksum " + source.digest + "; target " + target.rows + " rows, checksum " + target.digest);
            }
            result.add(d.kind());
            onDifference.accept(d);
        }
        return result;
    }
}
