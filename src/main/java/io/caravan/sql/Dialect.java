package io.caravan.sql;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A target database that is not PostgreSQL, as far as PostgreSQL's types map onto it: how it quotes names and which
 * of its types holds each PostgreSQL type. A type with no mapping stops table creation with its name (create the
 * table yourself, {@code target.create-tables = false}).
 */
enum Dialect {
    H2, MARIADB;

    private static final Pattern SIZED = Pattern.compile("(numeric|character varying|varchar|character|char)"
            + "\\s*\\((\\d+)(?:\\s*,\\s*(\\d+))?\\)");

    static Dialect of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (jdbcUrl.startsWith("jdbc:mariadb:") || jdbcUrl.startsWith("jdbc:mysql:")) {
            return MARIADB;
        }
        throw new IllegalArgumentException("no dialect for " + jdbcUrl);
    }

    String quote(String identifier) {
        return this == MARIADB ? '`' + identifier.replace("`", "``") + '`' : Table.quote(identifier);
    }

    String qualified(String schema, String table) {
        return this == MARIADB ? quote(table) : quote(schema) + "." + quote(table);
    }

    /** This database's type for a PostgreSQL column type; {@code key}: the column is in the primary key. */
    String typeOf(String pgType, boolean key) {
        String t = pgType.toLowerCase(Locale.ROOT);
        Matcher sized = SIZED.matcher(t);
        if (sized.matches()) {
            boolean numeric = sized.group(1).equals("numeric");
            if (numeric) {
                return (this == MARIADB ? "DECIMAL(" : "NUMERIC(") + sized.group(2)
                        + (sized.group(3) == null ? "" : ", " + sized.group(3)) + ")";
            }
            return (sized.group(1).startsWith("char") && !sized.group(1).contains("vary") ? "CHAR(" : "VARCHAR(")
                    + sized.group(2) + ")";
        }
        if (t.endsWith("[]")) {
            return text(key); // an array travels as its text form
        }
        return switch (t) {
            case "smallint" -> "SMALLINT";
            case "integer" -> this == MARIADB ? "INT" : "INTEGER";
            case "bigint" -> "BIGINT";
            case "boolean" -> "BOOLEAN";
            case "numeric" -> this == MARIADB ? "DECIMAL(65, 30)" : "NUMERIC";
            case "real" -> this == MARIADB ? "FLOAT" : "REAL";
            case "double precision" -> this == MARIADB ? "DOUBLE" : "DOUBLE PRECISION";
            case "text", "character varying", "json", "jsonb", "citext", "name" -> text(key);
            case "uuid" -> this == MARIADB ? "CHAR(36)" : "UUID";
            case "date" -> "DATE";
            case "timestamp without time zone" -> this == MARIADB ? "DATETIME(6)" : "TIMESTAMP(6)";
            // MariaDB keeps no offset: the instant is stored in UTC
            case "timestamp with time zone" -> this == MARIADB ? "DATETIME(6)" : "TIMESTAMP(6) WITH TIME ZONE";
            case "time without time zone" -> this == MARIADB ? "TIME(6)" : "TIME(6)";
            case "bytea" -> this == MARIADB ? "LONGBLOB" : "BINARY LARGE OBJECT";
            default -> null;
        };
    }

    private String text(boolean key) {
        if (this == H2) {
            return "CHARACTER VARYING";
        }
        return key ? "VARCHAR(255)" : "LONGTEXT"; // MariaDB indexes at most 3072 bytes: 255 characters of utf8mb4
    }
}
