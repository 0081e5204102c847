package io.caravan.silverstripe;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.testing.TestHome;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code move-files} writes each file's version history as SilverStripe 4's FileMigrationHelper does through
 * Versioned ({@code writeToStage(Live)}): one File_Versions row, version 1, published and draft, on the SS 3.1 site of
 * issue 18, on a real MariaDB and PostgreSQL.
 */
class FileVersionsTest {

    private static final List<String> FLAGS = List.of("Version", "WasPublished", "WasDraft", "WasDeleted", "AuthorID",
            "PublisherID");
    private static final List<String> COPIED = List.of("ClassName", "Name", "FileFilename", "FileHash", "ParentID");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SiteServers.Kind.class)
    void should_write_version_1_of_each_migrated_file_as_versioned_does(SiteServers.Kind kind) throws Exception {
        Ss31Site s = Ss31Site.seed(SiteFixture.create(kind, dir));
        TestHome home = s.site.home(dir.resolve("home"), Map.of());

        home.caravan("run", "silverstripe");

        Map<Long, Map<String, String>> files = s.site.rows("File");
        Map<Long, Map<String, String>> live = s.site.rows("File_Live");
        Map<Long, Map<String, String>> versions = s.site.rows("File_Versions");
        JsonNode expected = s.fixture.get("file_versions_after_run");
        assertThat(versions).as("one row per migrated file, no other").hasSize(expected.size());
        for (JsonNode want : expected) {
            long id = want.get("RecordID").asLong();
            List<Map<String, String>> rows = versions.values().stream()
                    .filter(v -> v.get("RecordID").equals(String.valueOf(id))).toList();
            assertThat(rows).as("File #" + id).hasSize(1);
            Map<String, String> version = rows.get(0);
            for (String flag : FLAGS) {
                assertThat(version.get(flag)).as("File #" + id + " " + flag).isEqualTo(want.get(flag).asText());
            }
            for (String column : COPIED) {
                assertThat(version.get(column)).as("File #" + id + " " + column).isEqualTo(files.get(id).get(column));
            }
            assertThat(files.get(id).get("Version")).as("File #" + id + " draft version").isEqualTo("1");
            assertThat(live.get(id).get("Version")).as("File #" + id + " Live version").isEqualTo("1");
        }

        home.caravan("run", "silverstripe");
        assertThat(s.site.rows("File_Versions")).as("a rerun writes no version").isEqualTo(versions);
    }
}
