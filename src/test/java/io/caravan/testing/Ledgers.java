package io.caravan.testing;

import io.caravan.ledger.LedgerDatabase;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.SortedSet;
import java.util.TreeSet;

/** Reads a home's embedded ledger directly, as an auditor would, between runs. */
public final class Ledgers {

    private Ledgers() {
    }

    /** The keys of the job's items recorded as done, in every scope. */
    public static SortedSet<String> doneKeys(Path data, String job) throws SQLException {
        SortedSet<String> keys = new TreeSet<>();
        try (Connection c = DriverManager.getConnection(LedgerDatabase.embeddedUrl(data));
             PreparedStatement s = c.prepareStatement(
                     "SELECT item_key FROM caravan_item WHERE job = ? AND status = 'done'")) {
            s.setString(1, job);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
        }
        return keys;
    }
}
