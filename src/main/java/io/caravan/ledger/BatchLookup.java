package io.caravan.ledger;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads the ledger rows of a batch of keys. A batch listed in key order is read as one range of the primary key, in
 * one pass down the index, where the database orders keys as Java does (the embedded H2 ledger, which has no
 * collation): on the cutover bench, a million lookups of a key each were 65% of the final pass's CPU. Any other batch,
 * or a range holding many more rows than the batch (a source filtered since the last run), is read a key at a time.
 */
final class BatchLookup {

    /** A range may hold this many rows per key of the batch (rows of items since gone from the source) and a few more. */
    private static final int RANGE_ROWS_PER_KEY = 2;
    private static final int RANGE_ROWS_MORE = 16;

    private final String rangeQuery;
    private final String eachQuery;
    private final boolean rangesAllowed;

    private BatchLookup(String columns, boolean rangesAllowed) {
        this.rangeQuery = "SELECT " + columns + " FROM caravan_item"
                + " WHERE job = ? AND scope_id = ? AND item_key BETWEEN ? AND ?";
        // The keys as an array joined to the table: one index lookup per key in H2 and PostgreSQL alike. H2 cannot
        // use the primary key for "job = ? AND item_key IN (…)" (an IN only uses an index's first column), and a
        // row-value IN, though it does, evaluated the whole list per row: three times slower.
        this.eachQuery = "SELECT " + columns.replaceAll("(\\w+)", "c.$1")
                + " FROM UNNEST(?) AS t(k) JOIN caravan_item c ON c.job = ? AND c.scope_id = ? AND c.item_key = t.k";
        this.rangesAllowed = rangesAllowed;
    }

    static BatchLookup of(DataSource dataSource, String columns) {
        return new BatchLookup(columns, ordersAsJava(dataSource));
    }

    /**
     * Whether the database compares the strings where orders differ most as {@link String#compareTo} does: by UTF-16
     * code unit, case before case (PostgreSQL's usual collations put 'a' before 'B'), '.' before '/', and a character
     * beyond U+FFFF (a surrogate pair) before U+E000 (PostgreSQL's "C" collation, by UTF-8 byte, puts it after).
     */
    static boolean ordersAsJava(DataSource dataSource) {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT CASE WHEN 'B' < 'a' AND '.' < '/' AND 'a.txt' < 'a/b'"
                     + " AND '\uD83D\uDE00' < '\uE000' THEN 1 ELSE 0 END")) {
            return rs.next() && rs.getInt(1) == 1;
        } catch (SQLException e) {
            return false;
        }
    }

    boolean readsRanges() {
        return rangesAllowed;
    }

    Map<String, LedgerEntry> find(Connection c, LedgerScope scope, List<String> keys) throws SQLException {
        if (rangesAllowed && keys.size() > 1 && isAscending(keys)) {
            Map<String, LedgerEntry> found = findInRange(c, scope, keys);
            if (found != null) {
                return found;
            }
        }
        return findEach(c, scope, keys);
    }

    /** The batch's rows, or null when the range holds more rows than it is worth reading. */
    private Map<String, LedgerEntry> findInRange(Connection c, LedgerScope scope, List<String> keys)
            throws SQLException {
        int most = keys.size() * RANGE_ROWS_PER_KEY + RANGE_ROWS_MORE;
        Set<String> wanted = new HashSet<>(keys);
        Map<String, LedgerEntry> found = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(rangeQuery)) {
            ps.setString(1, scope.job());
            ps.setString(2, scope.id());
            ps.setString(3, keys.get(0));
            ps.setString(4, keys.get(keys.size() - 1));
            ps.setMaxRows(most);
            int rows = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows++;
                    String key = rs.getString(2);
                    if (wanted.contains(key)) {
                        found.put(key, Ledger.entry(rs));
                    }
                }
            }
            return rows < most ? found : null;
        }
    }

    private Map<String, LedgerEntry> findEach(Connection c, LedgerScope scope, List<String> keys) throws SQLException {
        Map<String, LedgerEntry> found = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(eachQuery)) {
            ps.setArray(1, c.createArrayOf("VARCHAR", keys.toArray()));
            ps.setString(2, scope.job());
            ps.setString(3, scope.id());
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    LedgerEntry entry = Ledger.entry(rs);
                    found.put(entry.key(), entry);
                }
            }
        }
        return found;
    }

    private static boolean isAscending(List<String> keys) {
        for (int i = 1; i < keys.size(); i++) {
            if (keys.get(i - 1).compareTo(keys.get(i)) >= 0) {
                return false;
            }
        }
        return true;
    }
}
