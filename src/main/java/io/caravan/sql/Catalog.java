package io.caravan.sql;

import com.zaxxer.hikari.HikariDataSource;
import io.caravan.item.JobFatalException;
import io.caravan.job.JdbcUrls;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Reads tables from PostgreSQL's catalog: every table of a schema, or the ones named. */
final class Catalog {

    private Catalog() {
    }

    static String describe(HikariDataSource db, String schema) {
        return "PostgreSQL " + JdbcUrls.withoutPassword(db.getJdbcUrl()) + " schema " + schema;
    }

    /** Fails the job with a clear message unless the database answers and is PostgreSQL. */
    static void requirePostgres(DataSource db, String side) {
        try (Connection c = db.getConnection()) {
            String product = c.getMetaData().getDatabaseProductName();
            if (!product.equals("PostgreSQL")) {
                throw new JobFatalException("the " + side + " database is " + product
                        + "; the sql pack works with PostgreSQL at both ends");
            }
        } catch (SQLException e) {
            throw new JobFatalException("cannot connect to the " + side + " database: " + e.getMessage(), e);
        }
    }

    static List<String> tablesOf(DataSource db, String schema) {
        List<String> names = new ArrayList<>();
        query(db, "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                + " WHERE n.nspname = ? AND c.relkind IN ('r', 'p') ORDER BY c.relname", rs -> names.add(rs.getString(1)),
                schema);
        return names;
    }

    /** Null when the table does not exist. */
    static Table read(DataSource db, String schema, String name, Map<String, String> transforms) {
        List<Table.Column> columns = new ArrayList<>();
        // a column's own collation (COLLATE "C", say) decides its order, where chunks are key ranges
        query(db, "SELECT a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull,"
                        + " quote_ident(cn.nspname) || '.' || quote_ident(co.collname) FROM pg_attribute a"
                        + " JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " LEFT JOIN pg_collation co ON co.oid = a.attcollation AND co.collname <> 'default'"
                        + " LEFT JOIN pg_namespace cn ON cn.oid = co.collnamespace"
                        + " WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped"
                        + " ORDER BY a.attnum",
                rs -> columns.add(new Table.Column(rs.getString(1), rs.getString(2), rs.getBoolean(3),
                        rs.getString(4))), schema, name);
        if (columns.isEmpty()) {
            return null;
        }
        List<String> key = new ArrayList<>();
        query(db, "SELECT a.attname FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid"
                        + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
                        + " WHERE n.nspname = ? AND c.relname = ? AND i.indisprimary"
                        + " ORDER BY array_position(i.indkey::int2[], a.attnum)",
                rs -> key.add(rs.getString(1)), schema, name);
        for (String column : transforms.keySet()) {
            if (columns.stream().noneMatch(c -> c.name().equals(column))) {
                throw new JobFatalException("a transform names column " + column + ", which table " + schema + "."
                        + name + " does not have");
            }
        }
        return new Table(schema, name, List.copyOf(columns), List.copyOf(key), Map.copyOf(transforms));
    }

    /** Whether every column's type can be sent and received in COPY's binary format (builtins can). */
    static boolean hasBinaryIo(DataSource db, String schema, String name) {
        boolean[] all = new boolean[1];
        query(db, "SELECT coalesce(bool_and(t.typsend::oid <> 0 AND t.typreceive::oid <> 0), false)"
                        + " FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid"
                        + " JOIN pg_namespace n ON n.oid = c.relnamespace JOIN pg_type t ON t.oid = a.atttypid"
                        + " WHERE n.nspname = ? AND c.relname = ? AND a.attnum > 0 AND NOT a.attisdropped",
                rs -> all[0] = rs.getBoolean(1), schema, name);
        return all[0];
    }

    static String collation(DataSource db) {
        String[] collation = new String[1];
        query(db, "SELECT datcollate FROM pg_database WHERE datname = current_database()",
                rs -> collation[0] = rs.getString(1));
        return collation[0];
    }

    /**
     * The collations the table's primary key sorts by: {@code default} for the database's own, else the collation's
     * qualified, quoted name.
     */
    static Set<String> keyCollations(DataSource db, String schema, String name) {
        Set<String> collations = new TreeSet<>();
        query(db, "SELECT CASE WHEN a.attcollation = 100 THEN 'default' ELSE quote_ident(cn.nspname) || '.'"
                        + " || quote_ident(co.collname) END FROM pg_index i"
                        + " JOIN pg_class c ON c.oid = i.indrelid JOIN pg_namespace n ON n.oid = c.relnamespace"
                        + " JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY (i.indkey)"
                        + " JOIN pg_collation co ON co.oid = a.attcollation"
                        + " JOIN pg_namespace cn ON cn.oid = co.collnamespace"
                        + " WHERE n.nspname = ? AND c.relname = ? AND i.indisprimary",
                rs -> collations.add(rs.getString(1)), schema, name);
        return collations;
    }

    /**
     * The version of the library a collation sorts with here ({@code default}: the database's own), as the server
     * reads it now; null where it has none (C, POSIX) or the server cannot tell (the database's own before
     * PostgreSQL 15).
     */
    static String collationVersion(DataSource db, String collation) {
        String[] version = new String[1];
        if (!collation.equals("default")) {
            query(db, "SELECT pg_collation_actual_version(?::regcollation)", rs -> version[0] = rs.getString(1),
                    collation);
        } else if (majorVersion(db) >= 15) {
            query(db, "SELECT pg_database_collation_actual_version(oid) FROM pg_database"
                    + " WHERE datname = current_database()", rs -> version[0] = rs.getString(1));
        }
        return version[0];
    }

    /** Whether the table (schema-qualified, quoted as in SQL) exists, on the connection's own snapshot. */
    static boolean tableExists(Connection c, String qualified) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT to_regclass(?) IS NOT NULL")) {
            ps.setString(1, qualified);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() && rs.getBoolean(1);
            }
        }
    }

    private static int majorVersion(DataSource db) {
        try (Connection c = db.getConnection()) {
            return c.getMetaData().getDatabaseMajorVersion();
        } catch (SQLException e) {
            throw new JobFatalException("cannot read the database's version: " + e.getMessage(), e);
        }
    }

    interface RowConsumer {
        void accept(ResultSet rs) throws SQLException;
    }

    static void query(DataSource db, String sql, RowConsumer consumer, String... params) {
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < params.length; i++) {
                ps.setString(i + 1, params[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    consumer.accept(rs);
                }
            }
        } catch (SQLException e) {
            throw new JobFatalException("cannot read the database catalog: " + e.getMessage(), e);
        }
    }
}
