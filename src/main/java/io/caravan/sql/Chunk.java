package io.caravan.sql;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.item.Item;

import java.util.List;

/**
 * A run of a table's rows in primary-key order, from {@code from} (inclusive; null: the table's start) to
 * {@code to} (exclusive; null: its end). The ranges of a table's chunks meet, so together they cover every key,
 * including keys that appear at the source between two passes. A table without a primary key is one chunk.
 * The item key is {@code <table>/<from>}; the fingerprint carries {@code to}, the row count and a digest of the
 * rows, so a chunk whose rows or end changed at the source is copied again.
 */
record Chunk(String table, List<String> from, List<String> to, long rows, String digest) {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final TypeReference<List<String>> KEY = new TypeReference<>() { };
    private static final String OPEN = "*";

    String itemKey() {
        return table + "/" + encode(from);
    }

    String fingerprint() {
        return rows + ";" + digest + ";" + encode(to);
    }

    static Chunk of(String itemKey, String fingerprint) {
        int slash = itemKey.indexOf('/');
        String[] parts = fingerprint.split(";", 3);
        return new Chunk(itemKey.substring(0, slash), decode(itemKey.substring(slash + 1)), decode(parts[2]),
                Long.parseLong(parts[0]), parts[1]);
    }

    static Chunk of(Item item) {
        return of(item.key(), item.fingerprint());
    }

    /** The WHERE clause that selects this chunk's rows (or "TRUE"), with key values as typed literals. */
    String where(Table t) {
        if (!t.hasPrimaryKey()) {
            return "TRUE";
        }
        String lower = from == null ? null : "(" + t.keyList() + ") >= " + row(t, from);
        String upper = to == null ? null : "(" + t.keyList() + ") < " + row(t, to);
        return lower == null && upper == null ? "TRUE" : lower == null ? upper : upper == null ? lower
                : lower + " AND " + upper;
    }

    /**
     * Key values as a row of typed literals, e.g. {@code ('42'::bigint)}, each in its column's collation when that is
     * not the database's default: so they compare in the source's order at the target too.
     */
    static String row(Table t, List<String> values) {
        StringBuilder b = new StringBuilder("(");
        for (int i = 0; i < values.size(); i++) {
            b.append(i == 0 ? "" : ", ").append(Table.literal(values.get(i))).append("::")
                    .append(t.column(t.primaryKey().get(i)).comparableType());
        }
        return b.append(')').toString();
    }

    String describe(Table t) {
        if (!t.hasPrimaryKey()) {
            return "table " + table;
        }
        String keys = String.join(", ", t.primaryKey());
        return "rows of " + table + " with (" + keys + ") from " + (from == null ? "the start" : String.join(", ", from))
                + " to " + (to == null ? "the end" : "before " + String.join(", ", to));
    }

    private static String encode(List<String> key) {
        if (key == null) {
            return OPEN;
        }
        try {
            return JSON.writeValueAsString(key);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> decode(String text) {
        if (OPEN.equals(text)) {
            return null;
        }
        try {
            return JSON.readValue(text, KEY);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a chunk key: " + text, e);
        }
    }
}
