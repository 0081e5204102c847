package io.caravan.silverstripe;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One row of the File table, as the subtasks need it. {@code filename} is SilverStripe 3's {@code Filename} (with its
 * {@code assets/} prefix), {@code fileFilename} and {@code fileHash} SilverStripe 4's.
 */
public record FileRow(long id, String className, String name, String filename, String fileFilename,
                      String fileHash, long parentId, String canViewType) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** The columns {@link #of} reads, in its order. */
    public static String columns(SiteDatabase db) {
        return String.join(", ", db.col("ID"), db.col("ClassName"), db.col("Name"), db.col("Filename"),
                db.col("FileFilename"), db.col("FileHash"), db.col("ParentID"), db.col("CanViewType"));
    }

    public static FileRow of(ResultSet rs) throws SQLException {
        return new FileRow(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getLong(7), rs.getString(8));
    }

    /** SilverStripe 3's path under the assets folder: {@code Filename} without its {@code assets/} prefix. */
    @JsonIgnore
    public String legacyPath() {
        String f = filename == null ? "" : filename;
        return f.startsWith("assets/") ? f.substring("assets/".length()) : f;
    }

    @JsonIgnore
    public boolean isMigrated() {
        return fileFilename != null && !fileFilename.isEmpty();
    }

    public byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static FileRow fromJson(byte[] json) {
        try {
            return JSON.readValue(json, FileRow.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
