package io.caravan.silverstripe;

import io.caravan.testing.TestHome;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A SilverStripe site for one test: a database of its own on a real server, with the File table as SilverStripe 4's
 * dev/build leaves it over SilverStripe 3 data (the SS3 {@code Filename} column kept beside {@code FileFilename} and
 * {@code FileHash}, {@code Version} 0), its File_Live and File_Versions tables, and an assets folder.
 */
final class SiteFixture {

    static final String FILE_COLUMNS = "ID, ClassName, Name, Filename, FileFilename, FileHash, ParentID, CanViewType";

    final SiteServers.Database db;
    final Path assets;
    private Connection inserting;

    private SiteFixture(SiteServers.Database db, Path assets) {
        this.db = db;
        this.assets = assets;
    }

    static SiteFixture create(SiteServers.Kind kind, Path dir) throws Exception {
        SiteFixture site = new SiteFixture(SiteServers.create(kind), Files.createDirectories(dir.resolve("assets")));
        for (String table : List.of("File", "File_Live")) {
            site.execute("CREATE TABLE " + site.db.q(table) + " (" + site.db.q("ID") + " INT NOT NULL PRIMARY KEY, "
                    + site.db.q("ClassName") + " VARCHAR(255), " + site.db.q("Name") + " VARCHAR(255), "
                    + site.db.q("Title") + " VARCHAR(255), " + site.db.q("Filename") + " TEXT, "
                    + site.db.q("FileFilename") + " TEXT, " + site.db.q("FileHash") + " VARCHAR(255), "
                    + site.db.q("FileVariant") + " VARCHAR(255), " + site.db.q("ParentID")
                    + " INT NOT NULL DEFAULT 0, " + site.db.q("CanViewType") + " VARCHAR(32), "
                    + site.db.q("Version") + " INT NOT NULL DEFAULT 0)");
            site.execute("CREATE INDEX " + site.db.q(table + "_ParentID") + " ON " + site.db.q(table) + " ("
                    + site.db.q("ParentID") + ")");
        }
        // Versioned's table: its own ID, the record's as RecordID, the version flags, and File's columns but Filename
        String id = kind == SiteServers.Kind.MARIADB ? "INT NOT NULL AUTO_INCREMENT PRIMARY KEY" : "SERIAL PRIMARY KEY";
        site.execute("CREATE TABLE " + site.db.q("File_Versions") + " (" + site.db.q("ID") + " " + id + ", "
                + site.db.q("RecordID") + " INT NOT NULL DEFAULT 0, " + site.db.q("Version") + " INT NOT NULL DEFAULT 0, "
                + site.db.q("WasPublished") + " SMALLINT NOT NULL DEFAULT 0, " + site.db.q("WasDeleted")
                + " SMALLINT NOT NULL DEFAULT 0, " + site.db.q("WasDraft") + " SMALLINT NOT NULL DEFAULT 1, "
                + site.db.q("AuthorID") + " INT NOT NULL DEFAULT 0, " + site.db.q("PublisherID")
                + " INT NOT NULL DEFAULT 0, " + site.db.q("ClassName") + " VARCHAR(255), " + site.db.q("Name")
                + " VARCHAR(255), " + site.db.q("Title") + " VARCHAR(255), " + site.db.q("FileFilename") + " TEXT, "
                + site.db.q("FileHash") + " VARCHAR(255), " + site.db.q("FileVariant") + " VARCHAR(255), "
                + site.db.q("ParentID") + " INT NOT NULL DEFAULT 0, " + site.db.q("CanViewType") + " VARCHAR(32))");
        return site;
    }

    void execute(String sql) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /** Inserts a row; {@code values} in the order of {@code columns}, comma-separated unquoted names. */
    void insert(String table, String columns, Object... values) throws SQLException {
        String[] names = columns.split(",\\s*");
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(db.q(table)).append(" (");
        for (int i = 0; i < names.length; i++) {
            sql.append(i == 0 ? "" : ", ").append(db.q(names[i]));
        }
        sql.append(") VALUES (").append("?, ".repeat(names.length - 1)).append("?)");
        if (inserting != null) {
            insert(inserting, sql.toString(), values);
            return;
        }
        try (Connection c = db.connect()) {
            insert(c, sql.toString(), values);
        }
    }

    private static void insert(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                ps.setObject(i + 1, values[i]);
            }
            ps.executeUpdate();
        }
    }

    interface Rows {
        void insert() throws Exception;
    }

    /** Runs {@code rows} on one connection in one transaction: thousands of rows in a second, not a connection each. */
    void inOneTransaction(Rows rows) throws Exception {
        try (Connection c = db.connect()) {
            c.setAutoCommit(false);
            inserting = c;
            try {
                rows.insert();
                c.commit();
            } finally {
                inserting = null;
            }
        }
    }

    void insertFile(long id, String className, String name, String filename, String fileFilename, String fileHash,
                    long parentId, String canViewType) throws SQLException {
        insert("File", FILE_COLUMNS, id, className, name, filename, fileFilename, fileHash, parentId, canViewType);
    }

    /** Every row of a table by ID, each a column → value map (values as strings). */
    Map<Long, Map<String, String>> rows(String table) throws SQLException {
        Map<Long, Map<String, String>> rows = new TreeMap<>();
        try (Connection c = db.connect(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM " + db.q(table))) {
            ResultSetMetaData meta = rs.getMetaData();
            while (rs.next()) {
                Map<String, String> row = new LinkedHashMap<>();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    row.put(meta.getColumnLabel(i), rs.getString(i));
                }
                rows.put(rs.getLong("ID"), row);
            }
        }
        return rows;
    }

    String write(String relative, String content) throws IOException {
        return write(relative, content.getBytes(StandardCharsets.UTF_8));
    }

    String write(String relative, byte[] content) throws IOException {
        Path p = assets.resolve(relative);
        Files.createDirectories(p.getParent());
        Files.write(p, content);
        return relative;
    }

    String read(String relative) throws IOException {
        return Files.readString(assets.resolve(relative), StandardCharsets.UTF_8);
    }

    /** Every file under the assets folder, relative path → content's SHA-1. */
    Map<String, String> tree() throws IOException {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(assets)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(assets.relativize(p).toString(), AssetsFolder.sha1(p));
            }
        }
        return files;
    }

    List<String> folders(String named) throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(assets)) {
            walk.filter(Files::isDirectory).filter(p -> p.getFileName().toString().equals(named))
                    .forEach(p -> found.add(assets.relativize(p).toString()));
        }
        return found;
    }

    /** Job settings for the silverstripe job on this site; a test adds or overrides what it needs. */
    Map<String, String> settings() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("subtasks", "move-files, migrate-folders, move-thumbnails, generate-cms-thumbnails,"
                + " fix-folder-permissions, fix-secureassets, rewrite-shortcodes");
        s.put("subtasks.optional", "normalise-access");
        s.put("source.type", "silverstripe");
        s.put("target.type", "silverstripe");
        s.put("site.jdbc-url", db.url());
        s.put("site.user", db.user());
        s.put("site.assets", assets.toString());
        s.put("shortcodes.columns", "");
        s.put("hooks.listeners", RecordingListener.class.getName());
        s.put("caravan.workers", "4");
        return s;
    }

    TestHome home(Path dir, Map<String, String> overrides) {
        return new TestHome(dir).job("silverstripe", TestHome.merge(settings(), overrides));
    }

    /** A real JPEG, {@code width}×{@code height}, its pixels drawn from {@code seed}. */
    static byte[] jpeg(int width, int height, int seed) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, (x * 255 / width) << 16 | (y * 255 / height) << 8 | (seed * 37 & 0xff));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpg", out);
        return out.toByteArray();
    }
}
