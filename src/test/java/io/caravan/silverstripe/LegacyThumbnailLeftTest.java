package io.caravan.silverstripe;

import com.fasterxml.jackson.databind.JsonNode;
import io.caravan.silverstripe.files.LegacyFileId;
import io.caravan.testing.Rejects;
import io.caravan.testing.TestHome;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The thumbnails {@code move-thumbnails} leaves where they are, on the SS 3.1 site of issue 18, on a real MariaDB
 * and PostgreSQL: SS 3.0–3.1's own names ({@code SetWidth100-photo.jpg}, which SilverStripe 4's
 * LegacyThumbnailMigrationHelper cannot parse either and regenerates), and the thumbnail of an image that is gone.
 */
class LegacyThumbnailLeftTest {

    static final String LEFT_SS31 = "left: SS 3.1 thumbnail, SS4 regenerates it";
    static final String LEFT_ORPHAN = "left: thumbnail of an image that is gone";

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(SiteServers.Kind.class)
    void should_leave_ss31_prefix_thumbnails_with_one_report_line_not_a_rejection_on_every_run(SiteServers.Kind kind)
            throws Exception {
        Ss31Site s = Ss31Site.seed(SiteFixture.create(kind, dir));
        TestHome home = s.site.home(dir.resolve("home"), Map.of());
        List<JsonNode> ss31 = thumbnails(s, "SS 3.1");
        RecordingListener.clear();

        home.caravan("run", "silverstripe");

        assertThat(RecordingListener.outcome("move-thumbnails", LEFT_SS31)).isEqualTo(ss31.size());
        assertThat(Rejects.ofLatestRun(home.data(), "silverstripe-move-thumbnails")).isEmpty();
        for (JsonNode t : ss31) {
            String path = t.get("path").asText();
            assertThat(s.site.read(path)).as(path + " left in place").isEqualTo("thumbnail " + path);
        }
        for (JsonNode t : s.fixture.get("thumbnails")) {
            if (t.has("moved_to")) {
                assertThat(s.site.read(t.get("moved_to").asText())).isEqualTo("thumbnail " + t.get("path").asText());
            }
        }

        RecordingListener.clear();
        assertThat(home.caravan("run", "silverstripe", "--only", "move-thumbnails")).as("the rerun passes").isZero();
        assertThat(RecordingListener.outcome("move-thumbnails", LEFT_SS31)).as("and does not report them again")
                .isZero();
    }

    @ParameterizedTest
    @EnumSource(SiteServers.Kind.class)
    void should_leave_and_report_a_thumbnail_whose_image_is_gone(SiteServers.Kind kind) throws Exception {
        Ss31Site s = Ss31Site.seed(SiteFixture.create(kind, dir));
        TestHome home = s.site.home(dir.resolve("home"), Map.of());
        RecordingListener.clear();

        home.caravan("run", "silverstripe");

        List<JsonNode> orphans = thumbnails(s, "orphan");
        assertThat(RecordingListener.outcome("move-thumbnails", LEFT_ORPHAN)).isEqualTo(orphans.size());
        List<String> steps = RecordingListener.REPORTS.get("move-thumbnails").steps();
        for (JsonNode t : orphans) {
            String path = t.get("path").asText();
            LegacyFileId id = LegacyFileId.parse(path).orElseThrow();
            assertThat(s.site.read(path)).as(path + " left in place").isEqualTo("thumbnail " + path);
            assertThat(s.site.assets.resolve(id.ss4VariantPath())).as("no home beside nothing").doesNotExist();
            assertThat(steps).as("reported by name").anySatisfy(step -> assertThat(step).contains("assets/" + path)
                    .contains("assets/" + id.filename()));
        }
        assertThat(Rejects.ofLatestRun(home.data(), "silverstripe-move-thumbnails")).isEmpty();
    }

    private static List<JsonNode> thumbnails(Ss31Site s, String left) {
        return s.fixture.get("thumbnails").findParents("path").stream()
                .filter(t -> left.equals(t.path("left").asText())).toList();
    }
}
