package io.caravan.silverstripe;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.testing.Rejects;
import io.caravan.testing.TestHome;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * LegacyThumbnailMigrationHelperTest's site (its YAML, the images already migrated) and every case of
 * LegacyThumbnail_cases.json, moved by {@code caravan run silverstripe --only move-thumbnails} on a real MariaDB and
 * PostgreSQL; nothing but that subtask runs.
 */
class ThumbnailMigrationTest {

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SiteServers.Kind.class)
    void should_move_legacy_thumbnails_beside_their_images_and_run_only_that_subtask(SiteServers.Kind kind)
            throws Exception {
        SiteFixture site = SiteFixture.create(kind, dir);
        seedMigrated(site, Fixtures.yaml("LegacyThumbnailMigrationHelperTest.yml"));
        // work for the other subtasks, which --only must leave alone
        site.insertFile(100, "SilverStripe\\Assets\\File", "unmigrated.txt", "assets/unmigrated.txt", null, null, 0,
                null);
        site.write("unmigrated.txt", "SS3 file");
        TestHome home = site.home(dir.resolve("home"), Map.of());

        for (JsonNode c : Fixtures.json("LegacyThumbnail_cases.json").get("cases")) {
            String name = c.get("name").asText();
            site.write(c.get("legacy").asText(), "legacy " + name);
            RecordingListener.clear();
            assertThat(home.caravan("run", "silverstripe", "--only", "move-thumbnails")).as(name).isZero();
            assertThat(RecordingListener.outcome("move-thumbnails", "moved")).as(name)
                    .isEqualTo(c.get("moved_count").asLong());
            assertThat(site.read(c.get("new").asText())).as(name).isEqualTo("legacy " + name);
            assertThat(site.assets.resolve(c.get("legacy").asText())).as(name + ": legacy gone").doesNotExist();
            assertThat(site.folders("_resampled")).as(name + ": the emptied _resampled goes").isEmpty();
            Files.delete(site.assets.resolve(c.get("new").asText()));
        }
        assertThat(RecordingListener.EVENTS).containsExactly("before-job", "before-subtask move-thumbnails",
                "after-subtask move-thumbnails", "after-job");
        assertThat(site.rows("File").get(100L).get("FileFilename")).as("move-files did not run").isNull();
        assertThat(site.rows("File_Live")).as("migrate-folders did not run").isEmpty();
        assertThat(site.assets.resolve("toplevel__FitMaxWzM1MiwyNjRd.jpg")).as("nor generate-cms-thumbnails")
                .doesNotExist();

        // two images of one folder with the same manipulation
        site.write("ParentFolder/SubFolder/_resampled/ResizedImageWzYwLDYwXQ-nested.jpg", "n");
        site.write("ParentFolder/SubFolder/_resampled/ResizedImageWzYwLDYwXQ/nested-sibling.jpg", "s");
        RecordingListener.clear();
        assertThat(home.caravan("run", "silverstripe", "--only", "move-thumbnails")).isZero();
        assertThat(RecordingListener.outcome("move-thumbnails", "moved")).isEqualTo(2);
        assertThat(site.read("ParentFolder/SubFolder/nested__ResizedImageWzYwLDYwXQ.jpg")).isEqualTo("n");
        assertThat(site.read("ParentFolder/SubFolder/nested-sibling__ResizedImageWzYwLDYwXQ.jpg")).isEqualTo("s");

        // the new variant exists already: it is kept and the legacy one goes, in both SS3 styles
        for (String legacy : List.of("_resampled/CropHeightWzMwXQ-toplevel.jpg",
                "_resampled/CropHeightWzMwXQ/toplevel.jpg")) {
            site.write("toplevel__CropHeightWzMwXQ.jpg", "existing");
            site.write(legacy, "legacy");
            RecordingListener.clear();
            assertThat(home.caravan("run", "silverstripe", "--only", "move-thumbnails")).isZero();
            assertThat(RecordingListener.outcome("move-thumbnails", "moved")).as(legacy).isZero();
            assertThat(site.read("toplevel__CropHeightWzMwXQ.jpg")).isEqualTo("existing");
            assertThat(site.assets.resolve(legacy)).doesNotExist();
        }
    }

    @ParameterizedTest
    @EnumSource(SiteServers.Kind.class)
    void should_move_every_legacy_file_id_case_and_leave_the_unparseable_ones(SiteServers.Kind kind) throws Exception {
        SiteFixture site = SiteFixture.create(kind, dir);
        JsonNode cases = Fixtures.json("LegacyFileID_cases.json");
        Map<String, Long> folderIds = new HashMap<>();
        long id = 1;
        for (String folder : List.of("subfolder", "subfolder/under_score", "folder")) {
            int slash = folder.lastIndexOf('/');
            long parent = slash < 0 ? 0 : folderIds.get(folder.substring(0, slash));
            site.insertFile(id, "Folder", folder.substring(slash + 1), "assets/" + folder + "/", null, null, parent,
                    null);
            folderIds.put(folder, id++);
        }
        Map<String, String> expected = new HashMap<>();
        for (JsonNode c : cases.get("parse")) {
            String original = c.get("filename").asText();
            String variant = c.get("variant").asText();
            int slash = original.lastIndexOf('/');
            String folder = slash < 0 ? "" : original.substring(0, slash);
            if (site.rows("File").values().stream().noneMatch(r -> original.equals(r.get("FileFilename")))) {
                site.write(original, "original " + original);
                site.insertFile(id++, "Image", original.substring(slash + 1), "assets/" + original, original,
                        AssetsFolder.sha1(site.assets.resolve(original)), folder.isEmpty() ? 0 : folderIds.get(folder),
                        null);
            }
            if (!variant.isEmpty()) {
                String name = original.substring(slash + 1);
                int dot = name.indexOf('.');
                String ss4 = (folder.isEmpty() ? "" : folder + "/") + name.substring(0, dot) + "__" + variant
                        + name.substring(dot);
                site.write(c.get("file_id").asText(), "variant " + c.get("file_id").asText());
                expected.put(c.get("file_id").asText(), ss4);
            }
        }
        List<String> unparseable = new ArrayList<>();
        for (JsonNode c : cases.get("unparseable")) {
            if (c.asText().contains("_resampled/")) {
                site.write(c.asText(), "not a variant");
                unparseable.add(c.asText());
            }
        }
        TestHome home = site.home(dir.resolve("home"), Map.of());

        assertThat(home.caravan("run", "silverstripe", "--only", "move-thumbnails")).as("unparseable: rejected")
                .isEqualTo(3);

        for (var e : expected.entrySet()) {
            assertThat(site.read(e.getValue())).as(e.getKey()).isEqualTo("variant " + e.getKey());
            assertThat(site.assets.resolve(e.getKey())).doesNotExist();
        }
        assertThat(Rejects.ofLatestRun(home.data(), "silverstripe-move-thumbnails")).containsOnlyKeys(unparseable);
        for (String u : unparseable) {
            assertThat(site.read(u)).as(u + " left in place").isEqualTo("not a variant");
        }
    }

    /** Folders and files of a fixture YAML as SilverStripe 4 rows, already migrated at their natural paths. */
    static Map<String, Long> seedMigrated(SiteFixture site, Map<String, Map<String, Map<String, Object>>> yaml)
            throws Exception {
        Map<String, Long> ids = new HashMap<>();
        Map<String, String> paths = new HashMap<>();
        long id = 1;
        byte[] jpeg = SiteFixture.jpeg(120, 90, 2);
        String hash = null;
        for (var byClass : yaml.entrySet()) {
            boolean folder = byClass.getKey().endsWith("\\Folder");
            for (var e : byClass.getValue().entrySet()) {
                Map<String, Object> f = e.getValue();
                String parent = Fixtures.reference(f);
                String path = (parent == null ? "" : paths.get(parent) + "/") + f.get("Name");
                ids.put(e.getKey(), id);
                paths.put(e.getKey(), path);
                Object canView = f.get("CanViewType");
                if (folder) {
                    site.insertFile(id++, byClass.getKey(), (String) f.get("Name"), "assets/" + path + "/", null,
                            null, parent == null ? 0 : ids.get(parent), canView == null ? null : canView.toString());
                } else {
                    site.write(path, jpeg);
                    hash = AssetsFolder.sha1(site.assets.resolve(path));
                    site.insertFile(id++, byClass.getKey(), (String) f.get("Name"), "assets/" + path, path, hash,
                            parent == null ? 0 : ids.get(parent), canView == null ? null : canView.toString());
                }
            }
        }
        return ids;
    }
}
