package io.caravan.sql;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A table as the source's catalog describes it: columns in order with their exact types, and the primary key.
 *
 * @param transforms column → SQL expression evaluated in the source's SELECT instead of the column
 */
public record Table(String schema, String name, List<Column> columns, List<String> primaryKey,
                    Map<String, String> transforms) {

    /** @param collation the column's collation when not the database's default, quoted ({@code "pg_catalog"."C"}) */
    public record Column(String name, String type, boolean notNull, String collation) {

        /** The type to cast a key value to, so it compares in the column's collation wherever it is compared. */
        public String comparableType() {
            return collation == null ? type : type + " COLLATE " + collation;
        }
    }

    public String qualified() {
        return quote(schema) + "." + quote(name);
    }

    public String columnList() {
        return columns.stream().map(c -> quote(c.name())).collect(Collectors.joining(", "));
    }

    /** What the source SELECTs: each column, or its transform named as the column. */
    public String selectList() {
        return columns.stream().map(c -> transforms.containsKey(c.name())
                ? "(" + transforms.get(c.name()) + ") AS " + quote(c.name()) : "t." + quote(c.name()))
                .collect(Collectors.joining(", "));
    }

    public String keyList() {
        return primaryKey.stream().map(k -> "t." + quote(k)).collect(Collectors.joining(", "));
    }

    public boolean hasPrimaryKey() {
        return !primaryKey.isEmpty();
    }

    public Column column(String name) {
        return columns.stream().filter(c -> c.name().equals(name)).findFirst().orElseThrow();
    }

    public int indexOf(String column) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).name().equals(column)) {
                return i;
            }
        }
        throw new IllegalArgumentException("no column " + column + " in " + qualified());
    }

    /**
     * {@code CREATE TABLE} with the source's columns, types, collations and NOT NULLs (no indexes, no FKs), and the primary key
     * unless it is to be added after a first load ({@link #addKeyStatement()}).
     */
    public String createStatement(boolean withKey) {
        StringBuilder b = new StringBuilder("CREATE TABLE ").append(qualified()).append(" (");
        for (int i = 0; i < columns.size(); i++) {
            Column c = columns.get(i);
            b.append(i == 0 ? "" : ", ").append(quote(c.name())).append(' ').append(c.comparableType())
                    .append(c.notNull() ? " NOT NULL" : "");
        }
        if (withKey && hasPrimaryKey()) {
            b.append(", PRIMARY KEY (").append(quotedKey()).append(')');
        }
        return b.append(')').toString();
    }

    public String addKeyStatement() {
        return "ALTER TABLE " + qualified() + " ADD PRIMARY KEY (" + quotedKey() + ")";
    }

    private String quotedKey() {
        return primaryKey.stream().map(Table::quote).collect(Collectors.joining(", "));
    }

    public static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
