package io.caravan.silverstripe;

import com.fasterxml.jackson.databind.JsonNode;
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
 * LegacyThumbnailMigrationHelper cannot parse either and regenerates).
 */
class LegacyThumbnailLeftTest {

    static final String LEFT_SS31 = "left: SS 3.1 thumbnail, SS4 regenerates it";

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

    private static List<JsonNode> thumbnails(Ss31Site s, String left) {
        return s.fixture.get("thumbnails").findParents("path").stream()
                .filter(t -> left.equals(t.path("left").asText())).toList();
    }
}
