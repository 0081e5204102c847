package io.caravan.ckanfiles;

import io.caravan.testing.LoopbackPostgres;
import io.caravan.testing.PgDump;
import io.caravan.testing.Rejects;
import io.caravan.testing.S3ProxyServer;
import io.caravan.testing.TestHome;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

import javax.sql.DataSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CKAN 2.10's real database (the recorded portal's dump) and storage layout (its storage listing), plus generated
 * owners at scale, moved into S3Proxy: every owned file byte-equal at its key, orphans and missing files listed
 * exactly, owners rewritten and rolled back, and a killed run resumed without sending anything twice.
 */
class CkanStorageMigrationTest {

    private static final Path REAL = Path.of("../shared/fixtures/ckan/real-ckan-2.10");
    private static final String PREFIX = "https://files.example.org/ckan/";
    private static final String ORG = "b3a60f11-f343-4e16-b6f2-b2a75d403fcf"; // airparif-demo, in the dump

    private static S3ProxyServer s3;

    @TempDir
    Path dir;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3ProxyServer.inMemory();
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    @Test
    void should_move_every_owned_file_list_orphans_and_missing_rewrite_owners_and_roll_them_back() throws Exception {
        try (EmbeddedPostgres pg = LoopbackPostgres.builder().start()) {
            DataSource db = pg.getPostgresDatabase();
            PgDump.load(db, REAL.resolve("ckan_2.10_schema_and_data.sql"));
            Portal portal = new Portal(db, Files.createDirectories(dir.resolve("storage")));
            portal.realStorage();
            portal.generate(300, 10, 5, 12, 8);
            Map<String, String> before = portal.ownerValues();
            s3.createBucket("ckan-files");
            TestHome home = job(pg, portal, "ckan-files", Map.of("rewrite", "sql", "rewrite.url-prefix", PREFIX));

            assertThat(home.caravan("run", "ckanfiles")).as("missing files are rejected").isEqualTo(3);

            Path run = Rejects.latestRun(home.data(), "ckanfiles");
            assertThat(lines(run.resolve("orphans.txt"))).containsExactlyInAnyOrderElementsOf(portal.orphans);
            assertThat(lines(run.resolve("missing.txt")).stream().map(l -> l.split(" ")[0]).toList())
                    .containsExactlyInAnyOrderElementsOf(portal.missing);
            assertThat(Rejects.ofLatestRun(home.data(), "ckanfiles").values())
                    .allSatisfy(r -> assertThat(r.get("reason").asText()).startsWith("missing file: "))
                    .hasSize(portal.missing.size());
            assertThat(lines(run.resolve("deleted-owners.txt"))).hasSize(portal.deletedOwners.size())
                    .allSatisfy(l -> assertThat(l).endsWith("(left behind)"));
            assertEveryFileAtItsKey(portal);
            assertThat(Files.readString(run.resolve("report.txt")))
                    .contains("owners not rewritten: the run is not complete");
            assertThat(portal.ownerValues()).isEqualTo(before);

            // the missing files turn up: the rerun moves only them, and then rewrites every owner
            portal.restoreMissing();
            s3.resetCounts();
            assertThat(home.caravan("run", "ckanfiles")).isZero();
            assertThat(s3.writes("ckan-files")).isEqualTo(portal.missing.size());
            assertEveryFileAtItsKey(portal);
            Map<String, String> rewritten = portal.ownerValues();
            portal.files.forEach((key, bytes) -> {
                String owner = portal.ownerOf.get(key);
                assertThat(rewritten.get(owner)).as(owner).isEqualTo(PREFIX + key);
            });
            assertThat(portal.uploadResources()).as("rewritten resources are links now").isZero();

            assertThat(home.caravan("rollback", "ckanfiles")).isZero();
            assertThat(portal.ownerValues()).as("every value restored").isEqualTo(before);
            s3.resetCounts();
            assertThat(home.caravan("run", "ckanfiles", "--set", "rewrite=none")).isZero();
            assertThat(s3.writes("ckan-files")).as("restored owners are not moved again").isZero();
        }
    }

    @Test
    void should_roll_back_a_rewrite_asked_for_on_the_command_line_and_say_plainly_when_nothing_is_left()
            throws Exception {
        try (EmbeddedPostgres pg = LoopbackPostgres.builder().start()) {
            DataSource db = pg.getPostgresDatabase();
            PgDump.load(db, REAL.resolve("ckan_2.10_schema_and_data.sql"));
            Portal portal = new Portal(db, Files.createDirectories(dir.resolve("storage")));
            portal.realStorage();
            portal.generate(20, 0, 0, 2, 0);
            Map<String, String> before = portal.ownerValues();
            s3.createBucket("set-rewrite");
            TestHome home = job(pg, portal, "set-rewrite", Map.of()); // no rewrite in the job's settings
            assertThat(home.caravan("run", "ckanfiles", "--set", "rewrite=sql", "--set",
                    "rewrite.url-prefix=" + PREFIX)).isZero();
            assertThat(portal.ownerValues()).isNotEqualTo(before);

            TestHome.Ran rollback = home.run("rollback", "ckanfiles");
            assertThat(rollback.exit()).as(rollback.output()).isZero();
            assertThat(portal.ownerValues()).as("every value restored").isEqualTo(before);

            TestHome.Ran again = home.run("rollback", "ckanfiles");
            assertThat(again.exit()).isEqualTo(2);
            assertThat(again.output()).contains("caravan: nothing to roll back: ")
                    .doesNotContain("\tat ").doesNotContain("Exception");
        }
    }

    @Test
    void should_report_the_search_index_rebuild_and_list_private_datasets_files_that_became_plain_urls()
            throws Exception {
        try (EmbeddedPostgres pg = LoopbackPostgres.builder().start()) {
            DataSource db = pg.getPostgresDatabase();
            PgDump.load(db, REAL.resolve("ckan_2.10_schema_and_data.sql"));
            Portal portal = new Portal(db, Files.createDirectories(dir.resolve("storage")));
            portal.realStorage();
            portal.generate(5, 0, 0, 0, 0);
            List<String> privateKeys = new ArrayList<>();
            try (Connection c = db.getConnection(); Statement st = c.createStatement();
                 ResultSet rs = st.executeQuery("SELECT r.id, r.url FROM resource r JOIN package p"
                         + " ON p.id = r.package_id WHERE r.url_type = 'upload' AND p.private")) {
                while (rs.next()) {
                    privateKeys.add("resources/" + rs.getString(1) + "/" + rs.getString(2));
                }
            }
            assertThat(privateKeys).as("the recorded portal's private dataset has an upload").isNotEmpty();
            s3.createBucket("private-files");
            TestHome home = job(pg, portal, "private-files", Map.of("rewrite", "sql", "rewrite.url-prefix", PREFIX));

            assertThat(home.caravan("run", "ckanfiles")).isZero();

            Path run = Rejects.latestRun(home.data(), "ckanfiles");
            assertThat(Files.readString(run.resolve("report.txt")))
                    .contains("run `ckan search-index rebuild` on the CKAN server")
                    .contains("warning: " + privateKeys.size() + " files of private datasets are plain URLs at the"
                            + " target now (listed in private-files.txt)")
                    .contains("the bucket (or its prefix) must not be public");
            assertThat(lines(run.resolve("private-files.txt"))).containsExactlyInAnyOrderElementsOf(
                    privateKeys.stream().map(k -> k + " " + PREFIX + k).toList());
        }
    }

    @Test
    void should_resume_a_killed_run_without_sending_again_what_arrived() throws Exception {
        try (EmbeddedPostgres pg = LoopbackPostgres.builder().start()) {
            DataSource db = pg.getPostgresDatabase();
            PgDump.load(db, REAL.resolve("ckan_2.10_schema_and_data.sql"));
            Portal portal = new Portal(db, Files.createDirectories(dir.resolve("storage")));
            portal.realStorage();
            portal.generate(1500, 0, 0, 0, 0);
            s3.createBucket("killed");
            TestHome home = job(pg, portal, "killed", Map.of("caravan.workers", "4",
                    "caravan.bandwidth-limit", "1MiB"));

            Process first = home.start(dir.resolve("first.log"), List.of(), "run", "ckanfiles");
            long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (s3.writes("killed") < 400 && first.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(first.isAlive()).as(Files.readString(dir.resolve("first.log"))).isTrue();
            first.destroyForcibly();
            assertThat(first.waitFor(30, TimeUnit.SECONDS)).isTrue();
            Set<String> arrived = new HashSet<>();
            try (S3Client client = s3.client()) {
                client.listObjectsV2Paginator(b -> b.bucket("killed")).contents().forEach(o -> arrived.add(o.key()));
            }
            assertThat(arrived.size()).isBetween(1, portal.files.size() - 1);

            s3.resetCounts();
            assertThat(home.caravan("run", "ckanfiles")).isZero();
            assertThat(s3.writes("killed")).as("only what had not arrived is sent")
                    .isEqualTo(portal.files.size() - arrived.size());
            assertEveryFileAtItsKey(portal, "killed");
        }
    }

    private TestHome job(EmbeddedPostgres pg, Portal portal, String bucket, Map<String, String> more) {
        TestHome home = new TestHome(dir.resolve("home"));
        Map<String, String> settings = new HashMap<>(Map.of("source.type", "ckan-storage",
                "source.storage-path", portal.storage.toString(),
                "source.jdbc-url", pg.getJdbcUrl("postgres", "postgres"), "source.user", "postgres",
                "target.keep-verified", "true", "caravan.retry-delay-ms", "20"));
        settings.putAll(s3.settings("target", bucket));
        settings.putAll(more);
        home.job("ckanfiles", settings);
        return home;
    }

    private void assertEveryFileAtItsKey(Portal portal) {
        assertEveryFileAtItsKey(portal, "ckan-files");
    }

    private void assertEveryFileAtItsKey(Portal portal, String bucket) {
        try (S3Client client = s3.client()) {
            portal.files.forEach((key, bytes) -> {
                if (portal.missingKeys.contains(key) && !portal.restored) {
                    assertThat(exists(client, bucket, key)).as(key + " is missing at the source").isFalse();
                    return;
                }
                ResponseBytes<GetObjectResponse> got = client.getObjectAsBytes(b -> b.bucket(bucket).key(key));
                assertThat(got.asByteArray()).as(key).isEqualTo(bytes);
                if (key.endsWith(".csv")) {
                    assertThat(got.response().contentType()).as(key).startsWith("text/csv");
                }
            });
            for (String orphan : portal.orphans) {
                assertThat(exists(client, bucket, orphan.split(" ")[0])).isFalse();
            }
        }
    }

    /** Where CKAN 2.10 keeps a resource's upload (ckan/lib/uploader.py: id[0:3], id[3:6], id[6:]). */
    private static String ckanLayout(String resourceId) {
        return "resources/" + resourceId.substring(0, 3) + "/" + resourceId.substring(3, 6) + "/"
                + resourceId.substring(6);
    }

    private static boolean exists(S3Client client, String bucket, String key) {
        try {
            client.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    /** CKAN's database and storage folder, and what the test expects of them. */
    private static final class Portal {
        final DataSource db;
        final Path storage;
        /** target key → bytes, for every file a live owner has (missing ones included). */
        final Map<String, byte[]> files = new HashMap<>();
        /** target key → "table:id" of its owner. */
        final Map<String, String> ownerOf = new HashMap<>();
        final List<String> orphans = new ArrayList<>();
        final List<String> missing = new ArrayList<>();
        final Set<String> missingKeys = new HashSet<>();
        final Map<String, byte[]> missingBytes = new HashMap<>();
        final List<String> deletedOwners = new ArrayList<>();
        boolean restored;
        private final Random random = new Random(7);

        Portal(DataSource db, Path storage) {
            this.db = db;
            this.storage = storage;
        }

        /** The recorded portal's storage at the end of its recording: 3 owned uploads, and 2 orphans. */
        void realStorage() throws Exception {
            Map<String, String> urlById = new HashMap<>();
            try (Connection c = db.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id, url FROM resource WHERE url_type = 'upload'")) {
                while (rs.next()) {
                    urlById.put(rs.getString(1), rs.getString(2));
                }
            }
            for (String line : Files.readAllLines(REAL.resolve("storage_listing_after_purge.txt"))) {
                String[] parts = line.split(" ");
                if (!parts[0].startsWith("resources/")) {
                    continue; // webassets: not uploads
                }
                byte[] bytes = bytes(Integer.parseInt(parts[1]));
                write(parts[0], bytes);
                String id = parts[0].substring("resources/".length()).replace("/", "");
                if (urlById.containsKey(id)) {
                    own("resources/" + id + "/" + urlById.get(id), "resource:" + id, bytes);
                } else {
                    orphans.add(line); // the purged dataset's file, and the one package_update dropped
                }
            }
            assertThat(orphans).hasSize(2);
            assertThat(files).hasSize(2);
        }

        /**
         * Generated owners: resources of an active dataset (some files missing), resources of a deleted dataset,
         * organizations with images, users with avatars, and files nobody owns.
         */
        void generate(int resources, int missingFiles, int ofDeletedDataset, int images, int strayFiles)
                throws Exception {
            try (Connection c = db.getConnection()) {
                String active = dataset(c, "fichiers-generes", "active");
                String deleted = dataset(c, "jeu-supprime", "deleted");
                for (int i = 0; i < resources + ofDeletedDataset; i++) {
                    String id = UUID.randomUUID().toString();
                    boolean ofDeleted = i >= resources;
                    String name = (i % 3 == 0 ? "mesures-" + i + ".csv" : "rapport_" + i + ".pdf");
                    insert(c, "INSERT INTO resource (id, url, url_type, package_id, state, position) VALUES"
                            + " (?, ?, 'upload', ?, 'active', ?)", id, name, ofDeleted ? deleted : active, i);
                    byte[] bytes = bytes(200 + random.nextInt(3000));
                    String path = ckanLayout(id);
                    String key = "resources/" + id + "/" + name;
                    if (ofDeleted) {
                        write(path, bytes);
                        deletedOwners.add(path);
                    } else if (i < missingFiles) {
                        missing.add(path);
                        missingKeys.add(key);
                        missingBytes.put(path, bytes);
                        own(key, "resource:" + id, bytes);
                    } else {
                        write(path, bytes);
                        own(key, "resource:" + id, bytes);
                    }
                }
                for (int i = 0; i < images; i++) {
                    String image = "2024-01-0" + (1 + i % 9) + "-120000.00000" + i + "logo.png";
                    String org = "organisme-" + i;
                    String id = UUID.randomUUID().toString();
                    insert(c, "INSERT INTO \"group\" (id, name, title, state, type, is_organization, image_url,"
                            + " approval_status) VALUES (?, ?, ?, 'active', 'organization', true, ?, 'approved')",
                            id, org, "Organisme " + i, image);
                    byte[] bytes = bytes(100 + i);
                    write("storage/uploads/group/" + image, bytes);
                    own("groups/" + org + "/" + image, "group:" + id, bytes);
                    String avatar = "2024-02-0" + (1 + i % 9) + "-080000.00000" + i + "avatar.jpg";
                    String user = "utilisateur_" + i;
                    String userId = UUID.randomUUID().toString();
                    insert(c, "INSERT INTO \"user\" (id, name, state, image_url, sysadmin) VALUES"
                            + " (?, ?, 'active', ?, false)", userId, user, avatar);
                    byte[] avatarBytes = bytes(300 + i);
                    write("storage/uploads/user/" + avatar, avatarBytes);
                    own("users/" + user + "/" + avatar, "user:" + userId, avatarBytes);
                }
                insert(c, "INSERT INTO \"group\" (id, name, title, state, type, is_organization, image_url,"
                        + " approval_status) VALUES (?, 'lien-externe', 'Lien', 'active', 'organization', true,"
                        + " 'https://example.org/logo.png', 'approved')", UUID.randomUUID().toString());
            }
            for (int i = 0; i < strayFiles; i++) {
                String path = switch (i % 3) {
                    case 0 -> ckanLayout(UUID.randomUUID().toString());
                    case 1 -> "storage/uploads/group/2019-05-05-101010.000000ancien" + i + ".png";
                    default -> "storage/uploads/admin/2018-01-01-000000.000000logo" + i + ".svg";
                };
                byte[] bytes = bytes(50 + i);
                write(path, bytes);
                orphans.add(path + " " + bytes.length);
            }
        }

        void restoreMissing() throws IOException {
            for (Map.Entry<String, byte[]> e : missingBytes.entrySet()) {
                write(e.getKey(), e.getValue());
            }
            restored = true;
        }

        /** "table:id" → the owner's column: every resource's url and every image_url. */
        Map<String, String> ownerValues() throws SQLException {
            Map<String, String> values = new HashMap<>();
            try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
                try (ResultSet rs = s.executeQuery("SELECT id, url, url_type FROM resource")) {
                    while (rs.next()) {
                        values.put("resource:" + rs.getString(1), rs.getString(2));
                        values.put("resource-type:" + rs.getString(1), rs.getString(3));
                    }
                }
                for (String table : List.of("group", "user")) {
                    try (ResultSet rs = s.executeQuery("SELECT id, image_url FROM \"" + table + "\"")) {
                        while (rs.next()) {
                            values.put(table + ":" + rs.getString(1), rs.getString(2));
                        }
                    }
                }
            }
            return values;
        }

        long uploadResources() throws SQLException {
            try (Connection c = db.getConnection(); Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT count(*) FROM resource r JOIN package p ON p.id = r.package_id"
                         + " WHERE r.url_type = 'upload' AND r.state = 'active' AND p.state = 'active'")) {
                rs.next();
                return rs.getLong(1);
            }
        }

        private String dataset(Connection c, String name, String state) throws SQLException {
            String id = UUID.randomUUID().toString();
            insert(c, "INSERT INTO package (id, name, title, state, type, owner_org, private) VALUES"
                    + " (?, ?, ?, ?, 'dataset', ?, false)", id, name, name, state, ORG);
            return id;
        }

        private void own(String key, String owner, byte[] bytes) {
            files.put(key, bytes);
            ownerOf.put(key, owner);
        }

        private void write(String path, byte[] bytes) throws IOException {
            Path file = storage.resolve(path);
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        }

        private byte[] bytes(int size) {
            byte[] b = new byte[size];
            random.nextBytes(b);
            return b;
        }

        private static void insert(Connection c, String sql, Object... params) throws SQLException {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < params.length; i++) {
                    ps.setObject(i + 1, params[i]);
                }
                ps.executeUpdate();
            }
        }
    }
}
