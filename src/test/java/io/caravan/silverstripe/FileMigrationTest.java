package io.caravan.silverstripe;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.testing.Rejects;
import io.caravan.testing.TestHome;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * FileMigrationHelperTest's site (FileMigrationHelperTest.yml, with the SS3 rows and disk of
 * FileMigrationHelper_expectations.json) migrated by the whole silverstripe job on a real MariaDB and a real
 * PostgreSQL; every expectation of that file checked against the database and the assets folder.
 */
class FileMigrationTest {

    private static final List<String> VARIANTS = List.of("resizeXYZ", "resizeXYZ_scaleABC", "ScaleWidthWzEwMF0",
            "ScaleWidthWzEwMF0_FitWzEwMCwxMDBd");

    @TempDir
    Path dir;

    /** One SS3 row of the fixture: its id, what was written for it on disk, and under which name. */
    record Seeded(long id, String fixture, String className, String name, long parentId, byte[] content) {
    }

    @ParameterizedTest
    @EnumSource(SiteServers.Kind.class)
    void should_migrate_every_row_as_the_fixture_expects(SiteServers.Kind kind) throws Exception {
        SiteFixture site = SiteFixture.create(kind, dir);
        JsonNode expectations = Fixtures.json("FileMigrationHelper_expectations.json");
        Map<String, Seeded> seeded = seed(site, expectations);
        Map<Long, String> folderPaths = Map.of(0L, "", 1L, "ParentFolder", 2L, "ParentFolder/SubFolder",
                3L, "Uploads");
        TestHome home = site.home(dir.resolve("home"), Map.of());
        RecordingListener.clear();

        assertThat(home.caravan("run", "silverstripe")).as("the missing and the ambiguous file are rejected, and the"
                + " invalid rows deleted and rejected").isEqualTo(3);

        JsonNode after = expectations.get("expected_after_migration");
        Map<Long, Map<String, String>> rows = site.rows("File");
        Map<Long, Map<String, String>> live = site.rows("File_Live");
        Map<String, String> renames = new HashMap<>();
        after.get("renames").fields().forEachRemaining(e -> renames.put(e.getKey(), e.getValue().asText()
                .split(" ")[0]));
        int migrated = 0;
        for (Seeded row : seeded.values()) {
            if (row.className().equals("Folder")) {
                continue;
            }
            Map<String, String> now = rows.get(row.id());
            String fixture = row.fixture();
            if (List.of("invalid", "no-extension").contains(fixture)) {
                assertThat(now).as(fixture + " deleted").isNull();
                assertThat(live).doesNotContainKey(row.id());
                continue;
            }
            if (List.of("missing-file", "too-many-case").contains(fixture)) {
                assertThat(now.get("FileFilename")).as(fixture + " left unmigrated").isNullOrEmpty();
                continue;
            }
            migrated++;
            String folder = folderPaths.get(row.parentId());
            String expected = renames.getOrDefault(fixture, (folder.isEmpty() ? "" : folder + "/") + row.name());
            assertThat(now.get("FileFilename")).as(fixture).isEqualTo(expected);
            assertThat(Files.readAllBytes(site.assets.resolve(expected))).as(fixture + " bytes").isEqualTo(row.content());
            assertThat(now.get("FileHash")).as(fixture + " hash").isEqualTo(AssetsFolder.sha1(site.assets.resolve(expected)));
            assertThat(now.get("Name")).isEqualTo(expected.substring(expected.lastIndexOf('/') + 1));
            String wantedClass = row.name().endsWith(".pdf") || !row.className().equals("Image") ? "File" : "Image";
            assertThat(now.get("ClassName")).as(fixture + " class").isEqualTo("SilverStripe\\Assets\\" + wantedClass);
            assertThat(live.get(row.id())).as(fixture + " published").isEqualTo(now);
            if (row.className().equals("Image")) {
                String base = expected.substring(0, expected.lastIndexOf('.'));
                String ext = expected.substring(expected.lastIndexOf('.'));
                for (String v : VARIANTS) {
                    assertThat(site.read(base + "__" + v + ext)).as(fixture + " variant " + v)
                            .isEqualTo(variantContent(v, row));
                }
            }
        }
        assertThat(migrated).as(after.get("return_value").asText()).isEqualTo(17);
        assertThat(rows.get(seeded.get("fakePdf").id()).get("ClassName")).isEqualTo("SilverStripe\\Assets\\File");
        assertThat(site.read("bad_name.doc")).isEqualTo("Content of bad_name.doc");
        assertThat(site.read("bad_name-v2.doc")).isEqualTo("Content of bad__name.doc");
        assertThat(site.folders("_resampled")).as("no _resampled folder remains").isEmpty();
        assertThat(site.assets.resolve("ParentFolder/SubFolder/myfile.exe")).as("an invalid row's file stays").exists();
        assertThat(site.assets.resolve("Too-Many-Alternative-Case.txt")).exists();
        assertThat(site.assets.resolve("Too-Many-Alternative-Case.TXT")).exists();
        assertThat(site.assets.resolve("myimage__FitMaxWzM1MiwyNjRd.jpg")).as("CMS thumbnail").exists();

        Map<String, JsonNode> rejects = Rejects.ofLatestRun(home.data(), "silverstripe-move-files");
        assertThat(rejects).containsOnlyKeys("File/" + seeded.get("missing-file").id(),
                "File/" + seeded.get("too-many-case").id(), "File/" + seeded.get("invalid").id(),
                "File/" + seeded.get("no-extension").id());
        for (String deleted : List.of("invalid", "no-extension")) {
            assertThat(rejects.get("File/" + seeded.get(deleted).id()).get("reason").asText()).as(deleted)
                    .contains("the row is deleted, its file stays on disk");
        }
        assertThat(rejects.get("File/" + seeded.get("missing-file").id()).get("reason").asText())
                .contains("no file at assets/missing-file.pdf");
        assertThat(rejects.get("File/" + seeded.get("too-many-case").id()).get("reason").asText())
                .contains("2 files match").contains("Too-Many-Alternative-Case.TXT");
        assertThat(RecordingListener.EVENTS).startsWith("before-job", "before-subtask move-files",
                "after-subtask move-files", "before-subtask migrate-folders").endsWith("after-job");

        Map<String, String> tree = site.tree();
        assertThat(home.caravan("run", "silverstripe")).isEqualTo(3);
        assertThat(site.tree()).as("a rerun changes nothing on disk").isEqualTo(tree);
        assertThat(site.rows("File")).as("nor in the database").isEqualTo(rows);
    }

    private static String variantContent(String variant, Seeded row) {
        return "variant " + variant + " of " + row.fixture();
    }

    /** The SS3 state of FileMigrationHelperTest's setUp: folders from the YAML, files from the expectations. */
    static Map<String, Seeded> seed(SiteFixture site, JsonNode expectations) throws Exception {
        Map<String, Map<String, Map<String, Object>>> yaml = Fixtures.yaml("FileMigrationHelperTest.yml");
        Map<String, Seeded> seeded = new LinkedHashMap<>();
        Map<String, Long> ids = new HashMap<>();
        Map<String, String> paths = new HashMap<>();
        long id = 1;
        for (var e : yaml.get("SilverStripe\\Assets\\Folder").entrySet()) {
            String parent = Fixtures.reference(e.getValue());
            long parentId = parent == null ? 0 : ids.get(parent);
            String path = (parent == null ? "" : paths.get(parent) + "/") + e.getValue().get("Name");
            ids.put(e.getKey(), id);
            paths.put(e.getKey(), path);
            site.insertFile(id, "SilverStripe\\Assets\\Folder", (String) e.getValue().get("Name"),
                    "assets/" + path + "/", null, null, parentId, null);
            seeded.put(e.getKey(), new Seeded(id++, e.getKey(), "Folder", null, parentId, null));
        }
        byte[] jpeg = SiteFixture.jpeg(400, 300, 1);
        for (JsonNode row : expectations.get("ss3_db_rows_after_setUp").get("files")) {
            String fixture = row.get("fixture").asText();
            String className = row.get("class").asText();
            Map<String, Object> fields = yaml.get("SilverStripe\\Assets\\" + className).get(fixture);
            String parent = Fixtures.reference(fields);
            long parentId = parent == null ? 0 : ids.get(parent);
            String name = row.get("Name").asText();
            String filename = row.get("Filename").asText();
            String rel = filename.substring("assets/".length());
            site.insertFile(id, "SilverStripe\\Assets\\" + className, name, filename, null, null, parentId, null);
            byte[] content = className.equals("Image") ? jpeg
                    : ("Content of " + rel).getBytes(StandardCharsets.UTF_8);
            Seeded s = new Seeded(id++, fixture, className, name, parentId, content);
            seeded.put(fixture, s);
            switch (fixture) {
                case "missing-file" -> { }
                case "wrongcase" -> site.write("wRoNg-CaSe.tXt", content);
                case "too-many-case" -> {
                    site.write("Too-Many-Alternative-Case.txt", content);
                    site.write("Too-Many-Alternative-Case.TXT", content);
                }
                default -> site.write(rel, content);
            }
            if (className.equals("Image")) {
                int slash = rel.lastIndexOf('/');
                String folder = slash < 0 ? "" : rel.substring(0, slash + 1);
                String base = rel.substring(slash + 1);
                site.write(folder + "_resampled/resizeXYZ/" + base, variantContent("resizeXYZ", s));
                site.write(folder + "_resampled/resizeXYZ/scaleABC/" + base, variantContent("resizeXYZ_scaleABC", s));
                site.write(folder + "_resampled/ScaleWidthWzEwMF0-" + base, variantContent("ScaleWidthWzEwMF0", s));
                site.write(folder + "_resampled/ScaleWidthWzEwMF0-FitWzEwMCwxMDBd-" + base,
                        variantContent("ScaleWidthWzEwMF0_FitWzEwMCwxMDBd", s));
            }
        }
        return seeded;
    }
}
