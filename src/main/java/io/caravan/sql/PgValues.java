package io.caravan.sql;

import java.math.BigDecimal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Locale;

/**
 * PostgreSQL values between the COPY text form a chunk carries and what another database's JDBC driver takes, and
 * back to one canonical text per value, so a table's checksum is the same on both sides whatever the driver returns.
 */
final class PgValues {

    private PgValues() {
    }

    /** A COPY text field (already unescaped, null for NULL) as the Java value for a column of this type. */
    static Object parse(String pgType, String text, Dialect dialect) {
        if (text == null) {
            return null;
        }
        String t = base(pgType);
        return switch (t) {
            case "smallint", "integer", "bigint" -> Long.parseLong(text);
            case "numeric" -> new BigDecimal(text);
            case "real" -> Float.parseFloat(text);
            case "double precision" -> Double.parseDouble(text);
            case "boolean" -> text.equals("t");
            case "date" -> LocalDate.parse(text);
            case "timestamp without time zone" -> LocalDateTime.parse(text.replace(' ', 'T'));
            case "timestamp with time zone" -> {
                OffsetDateTime instant = offsetDateTime(text);
                yield dialect == Dialect.MARIADB ? instant.withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime()
                        : instant;
            }
            case "time without time zone" -> LocalTime.parse(text);
            case "bytea" -> HexFormat.of().parseHex(text.substring(2)); // "\x…"
            default -> text;
        };
    }

    /** The column's value as one canonical text (null as \N), read from either side. */
    static String canonical(ResultSet rs, int column, String pgType) throws SQLException {
        String t = base(pgType);
        Object v = switch (t) {
            case "smallint", "integer", "bigint" -> rs.getObject(column) == null ? null : rs.getLong(column);
            case "numeric" -> {
                BigDecimal d = rs.getBigDecimal(column);
                yield d == null ? null : d.stripTrailingZeros().toPlainString();
            }
            case "real" -> rs.getObject(column) == null ? null : rs.getFloat(column);
            case "double precision" -> rs.getObject(column) == null ? null : rs.getDouble(column);
            case "boolean" -> rs.getObject(column) == null ? null : rs.getBoolean(column);
            case "date" -> rs.getObject(column, LocalDate.class);
            case "timestamp without time zone" -> rs.getObject(column, LocalDateTime.class);
            case "timestamp with time zone" -> utc(rs, column);
            case "time without time zone" -> rs.getObject(column, LocalTime.class);
            case "bytea" -> {
                byte[] b = rs.getBytes(column);
                yield b == null ? null : HexFormat.of().formatHex(b);
            }
            default -> rs.getString(column);
        };
        return v == null ? "\\N" : v.toString();
    }

    /** The instant in UTC; a column that keeps no offset (MariaDB's DATETIME) holds UTC already. */
    private static LocalDateTime utc(ResultSet rs, int column) throws SQLException {
        Object raw = rs.getObject(column);
        if (raw == null) {
            return null;
        }
        if (raw instanceof LocalDateTime local) {
            return local;
        }
        return rs.getObject(column, OffsetDateTime.class).withOffsetSameInstant(ZoneOffset.UTC).toLocalDateTime();
    }

    /** PostgreSQL's text form of a timestamptz: "2026-11-22 00:31:53.062258+00" (or +05:30). */
    private static OffsetDateTime offsetDateTime(String text) {
        String iso = text.replace(' ', 'T');
        int sign = Math.max(iso.lastIndexOf('+'), iso.lastIndexOf('-'));
        if (sign > 10 && iso.length() - sign == 3) {
            iso = iso + ":00";
        }
        return OffsetDateTime.parse(iso);
    }

    /** The type without its size or array brackets: "numeric(12,2)" → "numeric"; "text[]" stays an array. */
    private static String base(String pgType) {
        String t = pgType.toLowerCase(Locale.ROOT);
        if (t.endsWith("[]")) {
            return t;
        }
        int paren = t.indexOf('(');
        return paren < 0 ? t : t.substring(0, paren).strip();
    }
}
